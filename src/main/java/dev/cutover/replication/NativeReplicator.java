package dev.cutover.replication;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.Endpoint;
import dev.cutover.endpoint.EndpointUri;
import dev.cutover.endpoint.ServerInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Native mode: the target runs {@code REPLICAOF source}. Every config it changes on the target is
 * remembered so that {@link #stop} (or an undo after a failure) puts it back.
 */
public final class NativeReplicator {
    private static final long POLL_MS = 100;
    private final Endpoint source;
    private final Endpoint target;
    private final Clock clock;

    public NativeReplicator(Endpoint source, Endpoint target, Clock clock) {
        this.source = source;
        this.target = target;
        this.clock = clock;
    }

    /** Starts the link; returns once it streams (or at once with --background). */
    public ReplicationLink start(ReplicateOptions options, boolean relaxed, ProgressListener listener) {
        EndpointUri src = source.uri();
        String address = options.sourceAddress().orElse(src.host() + ":" + src.port());
        String host = address.substring(0, address.lastIndexOf(':'));
        String port = address.substring(address.lastIndexOf(':') + 1);
        List<ConfigChange> changes = new ArrayList<>();
        long startOffset = sourceOffset();
        try {
            if (src.password().isPresent()) {
                set(changes, "masterauth", src.password().get().reveal());
                if (src.user().isPresent()) {
                    set(changes, "masteruser", src.user().get());
                }
            }
            if (relaxed) {
                set(changes, "rdb-version-check", "relaxed");
            }
            target.call("REPLICAOF", host, port);
        } catch (CutoverException e) {
            // The reply may have been lost after the server ran it: end replication to be sure.
            String undone = undoQuietly(changes);
            throw CutoverException.precondition("the target refused to replicate (" + e.getMessage() + "); "
                    + undone + ". Managed services often refuse REPLICAOF: psync mode (cutover as the replica) is the way there");
        }
        NativeDriver driver = new NativeDriver(target, changes);
        OffsetSampler sampler = new OffsetSampler(source, driver::progress, System::nanoTime);
        ReplicationLink link = new ReplicationLink(ReplicateOptions.Mode.NATIVE, address, List.copyOf(changes),
                relaxed, clock.instant(), startOffset, sampler, driver);
        if (!options.background()) {
            try {
                awaitStreaming(options.linkTimeout(), listener);
            } catch (CutoverException.Precondition e) {
                undo(link);
                throw e;
            } catch (Detached d) {
                // Ctrl-C: the link keeps going; lag and status show its progress.
                Thread.interrupted();
            } catch (RuntimeException e) {
                // Lost the target mid-sync, say: never leave it replicating with nobody tracking it.
                String undone = undoQuietly(changes);
                link.sampler().close();
                throw CutoverException.failed("replicate failed while waiting for the sync (" + e.getMessage() + "); "
                        + undone);
            }
        }
        sampler.start();
        return link;
    }

    /**
     * Waits until the target streams. Gives up only when the link makes no progress for
     * {@code linkTimeout}: a big sync that keeps moving is never cut short.
     */
    private void awaitStreaming(Duration linkTimeout, ProgressListener listener) {
        long lastProgressAt = System.nanoTime();
        long bestBytes = -1;
        double bestLoaded = -1;
        long rateBytes = 0;
        long rateAt = System.nanoTime();
        double rate = 0;
        SyncProgress.Phase lastPhase = null;
        while (true) {
            SyncProgress p = SyncProgress.from(ServerInfo.parseFields(target.info("replication") + "\n"
                    + target.info("persistence")));
            long now = System.nanoTime();
            if (p.phase() == SyncProgress.Phase.TRANSFER && now - rateAt >= 500_000_000L) {
                rate = (p.bytesRead() - rateBytes) / ((now - rateAt) / 1e9);
                rateBytes = p.bytesRead();
                rateAt = now;
            }
            listener.onProgress(p, Math.max(0, rate));
            if (p.phase() == SyncProgress.Phase.STREAMING) {
                return;
            }
            boolean progressed = p.phase() != lastPhase && p.phase() != SyncProgress.Phase.CONNECTING
                    || p.bytesRead() > bestBytes && p.phase() == SyncProgress.Phase.TRANSFER
                    || p.loadedPercent() > bestLoaded && p.phase() == SyncProgress.Phase.LOADING;
            if (progressed) {
                lastProgressAt = now;
                bestBytes = Math.max(bestBytes, p.bytesRead());
                bestLoaded = Math.max(bestLoaded, p.loadedPercent());
            }
            lastPhase = p.phase();
            if (Duration.ofNanos(now - lastProgressAt).compareTo(linkTimeout) > 0) {
                throw CutoverException.precondition("the link from the target to the source made no progress for "
                        + linkTimeout.toSeconds() + "s (link " + p.linkStatus() + ", phase "
                        + p.phase().name().toLowerCase(java.util.Locale.ROOT) + "): the target cannot reach, authenticate"
                        + " to or load from the source at " + source.uri().address() + "; replication was undone and"
                        + " the target's configs restored. Check the target's log, --source-address, or use psync mode");
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Detached();
            }
        }
    }

    /** Ctrl-C while waiting: replication goes on, the operator gets the prompt back. */
    public static final class Detached extends RuntimeException {
        Detached() {
            super("detached", null, false, false);
        }
    }

    private void undo(ReplicationLink link) {
        link.sampler().close();
        try {
            target.call("REPLICAOF", "NO", "ONE");
        } finally {
            restore(link.targetChanges());
        }
    }

    /** Ends replication on the target and restores its configs, saying whether that worked. */
    private String undoQuietly(List<ConfigChange> changes) {
        try {
            target.call("REPLICAOF", "NO", "ONE");
            restore(changes);
            return "replication was undone and the target's configs restored";
        } catch (CutoverException e) {
            return "undoing it failed too (" + e.getMessage() + "): check the target by hand (INFO replication,"
                    + " CONFIG GET masterauth)";
        }
    }

    private void set(List<ConfigChange> changes, String name, String value) {
        Object reply = target.call("CONFIG", "GET", name);
        String previous = reply instanceof List<?> l && l.size() >= 2 ? String.valueOf(l.get(1)) : "";
        target.call("CONFIG", "SET", name, value);
        changes.add(new ConfigChange(name, previous));
    }

    private void restore(List<ConfigChange> changes) {
        for (int i = changes.size() - 1; i >= 0; i--) {
            ConfigChange c = changes.get(i);
            target.call("CONFIG", "SET", c.name(), c.previous());
        }
    }

    private long sourceOffset() {
        return SyncProgress.number(source.infoFields("replication").get("master_repl_offset"));
    }
}
