package dev.cutover.replication;

import java.time.Duration;
import java.util.List;

/**
 * Where psync mode applies what it reads: a target server as an ordinary client
 * ({@link TargetWriter}), or an old source that replicates this shell ({@link ReplicaFeed}).
 * Commands carry the source offset they complete; {@link #applied} is the offset whose writes
 * the destination has really executed.
 */
public sealed interface CommandSink extends AutoCloseable permits TargetWriter, ReplicaFeed {
    /** Sends one command (buffered); {@code offset} is the source offset it completes. */
    void send(List<byte[]> command, long offset);

    /** Sends one command that completes no offset (inside a transaction, or part of the RDB). */
    void send(List<byte[]> command);

    /** Makes sure the next commands run in {@code db}. */
    void select(int db);

    /** The source moved to {@code offset} with nothing to apply: applied once everything before is. */
    void advance(long offset);

    void flush();

    /** Flushes and waits until everything sent was executed (or the sink failed). */
    boolean drain(Duration timeout);

    long applied();

    /** The db the destination is in after the last SELECT it executed. */
    int appliedDb();

    /** Sets the applied offset once a full sync's data is all in (the stream starts there). */
    void startStreamAt(long offset);

    /** The first failure, or null. */
    String failure();

    @Override
    void close();
}
