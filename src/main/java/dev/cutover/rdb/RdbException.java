package dev.cutover.rdb;

/**
 * The RDB could not be read: it is corrupt, truncated, or uses something this reader refuses.
 * The message is one sentence naming the byte offset, what was expected and what was found.
 */
public final class RdbException extends RuntimeException {
    private final long offset;

    /** Corruption or truncation: "corrupt RDB at byte N: expected X, found Y". */
    public RdbException(long offset, String problem) {
        this("corrupt RDB at byte ", offset, problem);
    }

    private RdbException(String prefix, long offset, String problem) {
        super(prefix + offset + ": " + problem);
        this.offset = offset;
    }

    /** Something valid that this reader refuses (an unknown version, a value it cannot skip). */
    static RdbException unsupported(long offset, String problem) {
        return new RdbException("cannot read RDB at byte ", offset, problem);
    }

    /** The byte offset in the stream at which reading stopped. */
    public long offset() {
        return offset;
    }
}
