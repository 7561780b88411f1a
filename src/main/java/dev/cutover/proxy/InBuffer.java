package dev.cutover.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Requests read from a client and not yet dispatched: {@code array()[start()..end())}. It holds
 * nothing until the client sends something, then grows with the bytes that actually arrive —
 * never by a length a request declares — doubling while the proxy's {@link MemoryBudget} has room
 * and up to the client's own limit, and shrinks back once what it held went on. When it cannot
 * grow it stops reading: {@link #starved()} (the budget is full: the connection waits) or
 * {@link #atLimit()} (a request bigger than the client may send, unless requests before it free
 * the room).
 */
final class InBuffer {
    static final int INITIAL = 16 * 1024;
    private static final int SHRINK_ABOVE = 1024 * 1024;
    /** The largest array the JVM allocates. */
    static final long MAX_CAPACITY = Integer.MAX_VALUE - 8;

    private final MemoryBudget budget;
    private final long limit;
    private ByteBuffer buf = ByteBuffer.allocate(0);
    private int start;
    private boolean starved;
    private boolean stoppedForRoom;

    InBuffer(MemoryBudget budget, long limit) {
        this.budget = budget;
        this.limit = Math.min(limit, MAX_CAPACITY);
    }

    /** A buffer outside a proxy (tests): no budget, the largest limit. */
    InBuffer() {
        this(MemoryBudget.unlimited(), MAX_CAPACITY);
    }

    byte[] array() {
        return buf.array();
    }

    int start() {
        return start;
    }

    int end() {
        return buf.position();
    }

    int unread() {
        return buf.position() - start;
    }

    /**
     * Reads what the socket has, and everything the wire took off it already, growing for it while
     * the budget and the limit allow; returns the bytes read (-1 at the end of the stream, when
     * nothing was read before it). Bytes it had no room for stay in the wire or the socket.
     */
    int read(Wire wire) throws IOException {
        int total = 0;
        stoppedForRoom = false;
        while (true) {
            if (!buf.hasRemaining() && !makeRoom()) {
                stoppedForRoom = true;
                return total;
            }
            int n = wire.read(buf);
            if (n < 0) {
                return total > 0 ? total : n;
            }
            total += n;
            if (!wire.readPending()) {
                return total;
            }
        }
    }

    /** Compacts, or grows: false when the budget or the limit leaves no room. */
    private boolean makeRoom() {
        int unread = unread();
        if (start > 0) {
            System.arraycopy(buf.array(), start, buf.array(), 0, unread);
            buf.position(unread);
            start = 0;
            if (buf.hasRemaining()) {
                return true;
            }
        }
        long capacity = buf.capacity();
        if (capacity >= limit) {
            return false;
        }
        long next = Math.min(limit, Math.max(INITIAL, capacity * 2));
        if (!budget.tryReserve(next - capacity)) {
            starved = true;
            return false;
        }
        starved = false;
        ByteBuffer bigger = ByteBuffer.allocate((int) next);
        bigger.put(buf.array(), 0, unread);
        buf = bigger;
        return true;
    }

    /** The budget had no room for this buffer to grow: the connection waits until memory is given back. */
    boolean starved() {
        return starved;
    }

    /** Full at the client's limit: what it holds is the start of one request bigger than the limit, or requests to dispatch. */
    boolean atLimit() {
        return buf.capacity() >= limit && !buf.hasRemaining() && start == 0;
    }

    /** The last read stopped because there was no room (not because the socket had no more): bytes may wait. */
    boolean stoppedForRoom() {
        return stoppedForRoom;
    }

    /** May try to grow again (memory came free). */
    void retry() {
        starved = false;
    }

    /** Everything before {@code pos} went on; when that is all, start over (and give back a big buffer). */
    void consumedTo(int pos) {
        start = pos;
        if (start == buf.position()) {
            start = 0;
            buf.clear();
            if (buf.capacity() > SHRINK_ABOVE) {
                resize(INITIAL);
            }
        }
    }

    /** Drops whatever it holds and gives its memory back (the connection closes, or is over its limit). */
    void release() {
        start = 0;
        resize(0);
    }

    private void resize(int capacity) {
        int before = buf.capacity();
        buf = ByteBuffer.allocate(capacity);
        budget.giveBack(before - capacity);
    }

    int capacity() {
        return buf.capacity();
    }

    long limit() {
        return limit;
    }
}
