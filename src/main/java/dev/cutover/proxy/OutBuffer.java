package dev.cutover.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Bytes waiting for a socket that did not take them all yet: holds nothing until something waits,
 * grows as needed, shrinks back when drained. Its memory is counted in the proxy's
 * {@link MemoryBudget} (never refused: what it holds was read already).
 */
final class OutBuffer {
    private static final int INITIAL = 16 * 1024;
    private static final int SHRINK_ABOVE = 1024 * 1024;
    private final MemoryBudget budget;
    private ByteBuffer buf = ByteBuffer.allocate(0);

    OutBuffer(MemoryBudget budget) {
        this.budget = budget;
    }

    /** A buffer outside a proxy (tests). */
    OutBuffer() {
        this(MemoryBudget.unlimited());
    }

    boolean isEmpty() {
        return buf.position() == 0;
    }

    int size() {
        return buf.position();
    }

    void append(byte[] b) {
        append(b, 0, b.length);
    }

    void append(byte[] b, int off, int len) {
        if (buf.remaining() < len) {
            long size = Math.max(INITIAL, Math.max(buf.position() + (long) len, buf.capacity() * 2L));
            ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(InBuffer.MAX_CAPACITY, size));
            budget.take(bigger.capacity() - (long) buf.capacity());
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
        buf.put(b, off, len);
    }

    /** Writes what the socket takes now, or queues the bytes for the loop's batch; keeps the rest. */
    void flushTo(Wire wire) throws IOException {
        if (wire.batched()) {
            if (!isEmpty()) {
                wire.sendLater(this);
            }
            return;
        }
        buf.flip();
        try {
            wire.write(buf);
        } finally {
            buf.compact();
        }
        shrinkIfDrained();
    }

    /** Writes {@code view} after what is already queued; keeps what the socket did not take. */
    void write(Wire wire, ByteBuffer view) throws IOException {
        if (isEmpty() && (!wire.batched() || view.remaining() >= Wire.WRITE_AT_ONCE && !wire.sendQueued())) {
            wire.write(view);
            if (view.hasRemaining()) {
                append(view.array(), view.arrayOffset() + view.position(), view.remaining());
            }
        } else {
            append(view.array(), view.arrayOffset() + view.position(), view.remaining());
            flushTo(wire);
        }
    }

    /** The queued bytes are {@code array()[0..size())}: for a batched send, which copies them out. */
    byte[] array() {
        return buf.array();
    }

    /** The first {@code n} queued bytes went out (a batched send). */
    void sent(int n) {
        if (n <= 0) {
            return;
        }
        buf.flip();
        buf.position(n);
        buf.compact();
        shrinkIfDrained();
    }

    /** The queued bytes to read from (for TLS, which encrypts them); {@link #readDone} keeps what was not read. */
    ByteBuffer readable() {
        return buf.flip();
    }

    void readDone() {
        buf.compact();
        shrinkIfDrained();
    }

    void clear() {
        buf.clear();
        shrinkIfDrained();
    }

    /** Drops what it holds and gives all its memory back (its connection is gone). */
    void release() {
        budget.giveBack(buf.capacity());
        buf = ByteBuffer.allocate(0);
    }

    /** A drained buffer that grew for a big value gives the memory back. */
    private void shrinkIfDrained() {
        if (buf.position() == 0 && buf.capacity() > SHRINK_ABOVE) {
            budget.giveBack(buf.capacity() - (long) INITIAL);
            buf = ByteBuffer.allocate(INITIAL);
        }
    }
}
