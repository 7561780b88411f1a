package dev.cutover.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A plain TCP socket's bytes, read into and written from heap buffers. {@code read} has the
 * contract of {@link java.nio.channels.SocketChannel#read}: -1 at the end of the stream, 0 when
 * nothing is there. Writes are either made at once ({@link #write}, what the socket takes now) or,
 * on a {@linkplain #batched batched} wire, handed to the event loop, which sends every queued
 * buffer in one system call when the events in hand are done and tells each owner what happened
 * ({@link SendListener}). Readiness always comes from the channel's selection key.
 */
interface Wire {
    int read(ByteBuffer dst) throws IOException;

    /** Bytes already taken off the socket are still waiting for a read (they did not fit the last one). */
    default boolean readPending() {
        return false;
    }

    /** Sends go through {@link #sendLater}, in the loop's batch; {@link #write} is not used. */
    boolean batched();

    /**
     * A write this big goes out at once even on a batched wire when nothing is queued before it: its
     * system call costs little next to copying its bytes twice (into the queue, then for the batch).
     */
    int WRITE_AT_ONCE = 64 * 1024;

    /** Writes what the socket takes now: always on unbatched wires; on batched ones only with nothing queued. */
    int write(ByteBuffer src) throws IOException;

    /** Queues {@code out}'s bytes for the loop's next batch of sends (batched wires). */
    void sendLater(OutBuffer out);

    /** Bytes are queued for the loop's next batch: its owner hears of them then (see {@link SendListener}). */
    default boolean sendQueued() {
        return false;
    }

    /** What the owner of a batched wire hears after its queued bytes went out, in part or not at all. */
    interface SendListener {
        /** {@code failure} is null when the socket took what it could (the rest stays queued in the buffer). */
        void sent(Wire wire, IOException failure);
    }
}
