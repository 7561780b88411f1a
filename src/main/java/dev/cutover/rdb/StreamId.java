package dev.cutover.rdb;

/** A stream entry id; the numbers are unsigned 64-bit, as the server treats them. */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {
    public static final StreamId ZERO = new StreamId(0, 0);

    /** Parses "ms-seq". */
    public static StreamId parse(String text) {
        int dash = text.indexOf('-');
        return new StreamId(Long.parseUnsignedLong(text.substring(0, dash)), Long.parseUnsignedLong(text.substring(dash + 1)));
    }

    @Override
    public int compareTo(StreamId o) {
        int c = Long.compareUnsigned(ms, o.ms);
        return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }
}
