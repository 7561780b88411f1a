package dev.cutover.proxy;

/**
 * Nanosecond durations in log-linear buckets (16 per power of two, so within about 6%): cheap
 * enough to record every command. Written by one event loop; copied out for reading.
 */
final class LatencyHistogram {
    private static final int SUB = 16;
    private final long[] counts = new long[64 * SUB];
    private long total;

    void record(long nanos) {
        record(nanos, 1);
    }

    /** {@code times} commands that each took {@code nanos}. */
    void record(long nanos, int times) {
        long v = Math.max(0, nanos);
        counts[index(v)] += times;
        total += times;
    }

    private static int index(long v) {
        if (v < SUB) {
            return (int) v;
        }
        int exp = 63 - Long.numberOfLeadingZeros(v);
        return (exp - 3) * SUB + (int) ((v >>> (exp - 4)) & (SUB - 1));
    }

    private static long lowerBound(int index) {
        if (index < SUB) {
            return index;
        }
        int exp = index / SUB + 3;
        long mantissa = index % SUB;
        return (1L << exp) + (mantissa << (exp - 4));
    }

    /** A copy of this histogram, and this one starts over. */
    LatencyHistogram drain() {
        LatencyHistogram copy = new LatencyHistogram();
        copy.add(this);
        java.util.Arrays.fill(counts, 0);
        total = 0;
        return copy;
    }

    void add(LatencyHistogram other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    long count() {
        return total;
    }

    /** The value at quantile {@code q} (0..1), in nanoseconds; 0 when empty. */
    long quantile(double q) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= Math.max(1, rank)) {
                return lowerBound(i);
            }
        }
        return lowerBound(counts.length - 1);
    }
}
