package dev.cutover.replication;

/**
 * What moves the data for a link, and what the session asks it: where the sync stands, which
 * source offset the target has applied, and how to end it. Native mode asks the target's INFO;
 * psync mode is the shell's own replica and knows it first-hand.
 */
public sealed interface LinkDriver permits NativeDriver, PsyncReplica, ScanReplica {
    SyncProgress progress();

    /** The source offset whose writes the target has executed. */
    long appliedOffset();

    /**
     * How far the target is from the frozen source: bytes of stream for the offset modes, keys
     * still to copy in scan mode (Long.MAX_VALUE when it cannot be proven yet).
     */
    default long behind(long frozenOffset) {
        return Math.max(0, frozenOffset - appliedOffset());
    }

    /** Why the link cannot go on by itself (empty while it works or retries). */
    String problem();

    /** Ends the link and undoes what it changed on the target; returns a note for the summary. */
    String stop();
}
