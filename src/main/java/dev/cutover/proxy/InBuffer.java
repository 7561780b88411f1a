package dev.cutover.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Requests read from a client and not yet dispatched: {@code array()[start()..end())}. A request
 * is always whole in it before it goes on, so it grows to the largest request and shrinks back.
 */
final class InBuffer {
    private static final int INITIAL = 16 * 1024;
    private static final int SHRINK_ABOVE = 1024 * 1024;
    private ByteBuffer buf = ByteBuffer.allocate(INITIAL);
    private int start;

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

    /** Reads what the socket has, and everything the wire took off it already (growing for it). */
    int read(Wire wire) throws IOException {
        int total = 0;
        while (true) {
            if (!buf.hasRemaining()) {
                makeRoom(unread() + 1L);
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

    /** Makes room for a request of {@code needed} bytes starting at {@link #start()}: compacts, grows. */
    void makeRoom(long needed) {
        int unread = unread();
        if (start > 0) {
            System.arraycopy(buf.array(), start, buf.array(), 0, unread);
            buf.position(unread);
            start = 0;
        }
        if (needed > buf.capacity() || !buf.hasRemaining()) {
            ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, buf.capacity() * 2L)));
            bigger.put(buf.array(), 0, unread);
            buf = bigger;
        }
    }

    /** Everything before {@code pos} went on; when that is all, start over (and give back a big buffer). */
    void consumedTo(int pos) {
        start = pos;
        if (start == buf.position()) {
            start = 0;
            buf.clear();
            if (buf.capacity() > SHRINK_ABOVE) {
                buf = ByteBuffer.allocate(INITIAL);
            }
        }
    }

    int capacity() {
        return buf.capacity();
    }
}
