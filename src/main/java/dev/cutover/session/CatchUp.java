package dev.cutover.session;

import java.time.Duration;
import java.util.function.LongSupplier;

/** After a freeze: how long the target took to reach the frozen source, or how far it still is. */
record CatchUp(Duration caughtUpIn, long behind) {
    /** Polls {@code behind} until it is 0 or {@code timeout} passes; -1 when there is no link. */
    static CatchUp await(boolean linked, LongSupplier behind, Duration timeout) {
        if (!linked) {
            return new CatchUp(null, -1);
        }
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        while (true) {
            long now = behind.getAsLong();
            if (now == 0) {
                return new CatchUp(Duration.ofNanos(System.nanoTime() - t0), 0);
            }
            if (System.nanoTime() > deadline) {
                return new CatchUp(null, now);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new CatchUp(null, now);
            }
        }
    }
}
