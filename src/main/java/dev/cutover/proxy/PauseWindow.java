package dev.cutover.proxy;

import java.time.Duration;
import java.util.List;

/** How long the clients whose requests were held waited: how many, the longest, and the 99th percentile. */
public record PauseWindow(int clients, Duration max, Duration p99) {
    public static final PauseWindow NONE = new PauseWindow(0, Duration.ZERO, Duration.ZERO);

    static PauseWindow of(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return NONE;
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        int p99 = (int) Math.ceil(sorted.length * 0.99) - 1;
        return new PauseWindow(sorted.length, Duration.ofNanos(sorted[sorted.length - 1]),
                Duration.ofNanos(sorted[Math.max(0, p99)]));
    }
}
