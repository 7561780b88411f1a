package dev.cutover.freeze;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.Endpoint;
import dev.cutover.endpoint.ServerInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Writes on the source held by {@code CLIENT PAUSE <lease> WRITE}, renewed by this session every
 * half lease and never beyond {@code max} in all: if the shell dies or loses the source, writes
 * resume by themselves within one lease. Runs on its own connection so that nothing else the
 * session sends can land inside its MULTI.
 */
public final class FreezeLease implements AutoCloseable {
    private final Endpoint control;
    private final Duration lease;
    private final Duration max;
    private final long startNanos;
    private final long frozenOffset;
    private final ScheduledExecutorService renewer;
    private volatile boolean bounded = true;
    private volatile boolean expired;
    private boolean released; // guarded by this: no renewal may land after the release's UNPAUSE
    private volatile String lastError = "";

    private FreezeLease(Endpoint control, Duration lease, Duration max, long startNanos, long frozenOffset) {
        this.control = control;
        this.lease = lease;
        this.max = max;
        this.startNanos = startNanos;
        this.frozenOffset = frozenOffset;
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cutover-freeze-lease");
            t.setDaemon(true);
            return t;
        });
    }

    /** Pauses writes and reads the replication offset in one MULTI, so the offset is the frozen one. */
    public static FreezeLease start(Endpoint control, Duration lease, Duration max) {
        if (lease.toMillis() < 200 || lease.compareTo(max) > 0) {
            throw CutoverException.usage("--lease must be at least 200ms and at most --max");
        }
        long start = System.nanoTime();
        Object reply;
        try {
            control.call("MULTI");
            control.call("CLIENT", "PAUSE", String.valueOf(lease.toMillis()), "WRITE");
            control.call("INFO", "replication");
            reply = control.call("EXEC");
        } catch (CutoverException e) {
            try {
                control.call("DISCARD");
            } catch (CutoverException ignored) {
                // Not inside MULTI any more.
            }
            throw CutoverException.precondition("the source refused CLIENT PAUSE WRITE (" + e.getMessage()
                    + "): freeze through the proxy instead (--via proxy) or hold writes in the applications");
        }
        if (!(reply instanceof List<?> results) || results.size() != 2 || !"OK".equals(results.get(0))) {
            try {
                control.call("CLIENT", "UNPAUSE");
            } catch (CutoverException ignored) {
                // The pause lapses by itself within one lease.
            }
            throw CutoverException.failed("the source answered the freeze transaction unexpectedly (" + reply
                    + "); writes were released");
        }
        long offset = Long.parseLong(ServerInfo.parseFields(String.valueOf(results.get(1)))
                .getOrDefault("master_repl_offset", "0"));
        FreezeLease freeze = new FreezeLease(control, lease, max, start, offset);
        long every = Math.max(100, lease.toMillis() / 2);
        freeze.renewer.scheduleWithFixedDelay(freeze::renew, every, every, TimeUnit.MILLISECONDS);
        return freeze;
    }

    private synchronized void renew() {
        if (released) {
            return;
        }
        long remaining = bounded ? max.toMillis() - elapsed().toMillis() : lease.toMillis();
        if (remaining <= 0) {
            expired = true;
            renewer.shutdown();
            return;
        }
        try {
            control.call("CLIENT", "PAUSE", String.valueOf(Math.min(lease.toMillis(), remaining)), "WRITE");
            lastError = "";
        } catch (CutoverException e) {
            lastError = e.getMessage();
        }
    }

    /**
     * While clients are being moved, and after, the source must stay frozen until it is demoted:
     * --max no longer ends it. Returns false if the freeze had already ended.
     */
    public synchronized boolean holdUntilReleased() {
        if (expired() || released) {
            return false;
        }
        bounded = false;
        return true;
    }

    /** A repoint that failed: --max applies again from here on. */
    public synchronized void boundAgain() {
        bounded = true;
    }

    /** Unpauses now; returns how long writes were held. A renewal under way finishes first. */
    public synchronized Duration release() {
        released = true;
        renewer.shutdownNow();
        control.call("CLIENT", "UNPAUSE");
        return elapsed();
    }

    public long frozenOffset() {
        return frozenOffset;
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Time until --max ends the freeze (zero once expired; the lease when held after a repoint). */
    public Duration remaining() {
        if (!bounded) {
            return lease;
        }
        Duration left = max.minus(elapsed());
        return left.isNegative() ? Duration.ZERO : left;
    }

    public boolean expired() {
        return expired || (bounded && elapsed().compareTo(max) >= 0);
    }

    /** Whether the last renewal failed (the pause may lapse within one lease). */
    public boolean renewalFailing() {
        return !lastError.isEmpty();
    }

    public boolean bounded() {
        return bounded;
    }

    public Duration lease() {
        return lease;
    }

    public String lastError() {
        return lastError;
    }

    /** Stops renewing without unpausing: the pause lapses within one lease. */
    @Override
    public void close() {
        renewer.shutdownNow();
        control.close();
    }
}
