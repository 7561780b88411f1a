package dev.cutover.rdb;

/**
 * The RDB could not be read: it is corrupt, truncated, or uses something this reader refuses.
 * The message is one sentence naming the byte offset, what was expected and what was found.
 */
public final class RdbException extends RuntimeException {
    private final long offset;

    public RdbException(long offset, String problem) {
        super("corrupt RDB at byte " + offset + ": " + problem);
        this.offset = offset;
    }

    /** A message that is not about corruption (an unsupported feature, a refused value). */
    static RdbException unsupported(long offset, String problem) {
        return new RdbException(offset, problem, true);
    }

    private RdbException(long offset, String message, boolean verbatim) {
        super("cannot read RDB at byte " + offset + ": " + message);
        this.offset = offset;
    }

    /** The byte offset in the stream at which reading stopped. */
    public long offset() {
        return offset;
    }
}
