package dev.cutover.replication;

import dev.cutover.CutoverException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The common end of starting a link that lives in this shell (psync, scan): unless asked to run
 * in the background, wait until it streams while drawing progress; Ctrl-C detaches and leaves it
 * running; any failure stops it before the error reaches the operator. Then the sampler starts.
 */
final class LinkStart {
    private LinkStart() {
    }

    static ReplicationLink finish(ReplicationLink link, ReplicateOptions options, BooleanSupplier alive,
                                  Supplier<String> note, ProgressListener listener) {
        if (!options.background()) {
            try {
                await(link, options.linkTimeout(), alive, note, listener);
            } catch (NativeReplicator.Detached d) {
                Thread.interrupted();
            } catch (RuntimeException e) {
                link.driver().stop();
                throw e;
            }
        }
        link.sampler().start();
        return link;
    }

    /**
     * Waits until the link streams. Progress is RDB bytes read or keys written: a long sync that
     * keeps moving is never cut short; one that stalls for {@code linkTimeout} is given up.
     */
    private static void await(ReplicationLink link, Duration linkTimeout, BooleanSupplier alive, Supplier<String> note,
                              ProgressListener listener) {
        LinkDriver driver = link.driver();
        String mode = link.mode().name().toLowerCase(Locale.ROOT);
        long lastProgressAt = System.nanoTime();
        long lastMoved = -1;
        long rateBytes = 0;
        long rateAt = System.nanoTime();
        double rate = 0;
        while (true) {
            SyncProgress p = driver.progress();
            long now = System.nanoTime();
            if (now - rateAt >= 500_000_000L) {
                rate = (p.bytesRead() - rateBytes) / ((now - rateAt) / 1e9);
                rateBytes = p.bytesRead();
                rateAt = now;
            }
            listener.onProgress(p, Math.max(0, rate));
            if (!driver.problem().isEmpty()) {
                throw CutoverException.failed(mode + " replication failed: " + driver.problem());
            }
            if (p.phase() == SyncProgress.Phase.STREAMING && p.linkStatus().equals("up")) {
                return;
            }
            if (!alive.getAsBoolean()) {
                throw CutoverException.failed(mode + " replication ended before it streamed: " + note.get());
            }
            long moved = p.bytesRead() + Math.max(0, p.keysWritten());
            if (moved != lastMoved) {
                lastMoved = moved;
                lastProgressAt = now;
            }
            if (Duration.ofNanos(now - lastProgressAt).compareTo(linkTimeout) > 0) {
                String why = note.get();
                throw CutoverException.precondition("the " + mode + " link made no progress for "
                        + linkTimeout.toSeconds() + "s (" + p.phase().name().toLowerCase(Locale.ROOT)
                        + (why.isEmpty() ? "" : ", " + why) + "): nothing was reported done; the target may hold a"
                        + " partial copy. Check the source's log and replicate again with --flush-target");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NativeReplicator.Detached();
            }
        }
    }
}
