package dev.cutover.proxy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes every connection of a proxy buffers (requests read and not yet sent on, replies
 * waiting for a slow client), against one budget for the whole proxy. A request buffer grows only
 * when the budget has room ({@link #tryReserve}); when it has none, that connection stops being
 * read (backpressure: TCP tells its client to wait) until memory is given back, and
 * {@code onFreed} wakes the connections that wait. Reply buffers are counted but never refused:
 * their bytes were read already, and a connection stops reading its upstream while its client
 * has replies queued. Thread-safe: buffers grow and shrink rarely (past their first 16 KB), so
 * an atomic counter costs nothing on the forwarding path.
 */
final class MemoryBudget {
    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private volatile boolean waiting;
    private volatile Runnable onFreed = () -> { };

    MemoryBudget(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("a memory budget must be positive");
        }
        this.limit = limit;
    }

    /** A budget that never refuses (for buffers used outside a proxy, in tests). */
    static MemoryBudget unlimited() {
        return new MemoryBudget(Long.MAX_VALUE);
    }

    /** What runs (on the thread that gave memory back) when a connection waits for room and some came free. */
    void onFreed(Runnable wake) {
        this.onFreed = wake;
    }

    /** Takes {@code bytes} if they fit; otherwise notes that someone waits and returns false. */
    boolean tryReserve(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > limit) {
                waiting = true;
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** Counts {@code bytes} taken without asking (replies already read). */
    void take(long bytes) {
        used.addAndGet(bytes);
    }

    void giveBack(long bytes) {
        if (bytes <= 0) {
            return;
        }
        used.addAndGet(-bytes);
        if (waiting) {
            waiting = false;
            onFreed.run();
        }
    }

    long used() {
        return used.get();
    }

    long limit() {
        return limit;
    }

    /** Somebody waits for room. */
    boolean waiting() {
        return waiting;
    }
}
