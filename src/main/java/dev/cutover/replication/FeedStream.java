package dev.cutover.replication;

import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Consumer;

/**
 * What the feed sends its replica: every byte goes to a backlog (a ring, as a primary keeps one)
 * and, while the replica is connected, to its socket. A broken socket only detaches it; the
 * replica's partial resync replays from the backlog. Only a backlog outrun while detached fails.
 */
final class FeedStream extends OutputStream {
    private final byte[] ring;
    private final Consumer<String> fail;
    private long end; // bytes written since the stream began
    private OutputStream socket;
    private long detachedAt = -1;

    FeedStream(int capacity, Consumer<String> fail) {
        this.ring = new byte[capacity];
        this.fail = fail;
    }

    synchronized void attach(OutputStream out) {
        socket = out;
        detachedAt = -1;
    }

    synchronized void detach() {
        socket = null;
        if (detachedAt < 0) {
            detachedAt = end;
        }
    }

    /** Whether the bytes from {@code from} on are still in the ring. */
    synchronized boolean holds(long from) {
        return from <= end && end - from <= ring.length && from >= 0;
    }

    synchronized void replay(long from, OutputStream to) throws IOException {
        for (long i = from; i < end; ) {
            int at = (int) (i % ring.length);
            int n = (int) Math.min(end - i, ring.length - at);
            to.write(ring, at, n);
            i += n;
        }
        to.flush();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int done = 0; done < len; ) {
            int at = (int) (end % ring.length);
            int n = Math.min(len - done, ring.length - at);
            System.arraycopy(b, off + done, ring, at, n);
            end += n;
            done += n;
        }
        if (detachedAt >= 0 && end - detachedAt > ring.length) {
            fail.accept("the old source stayed away while more than " + ring.length / (1024 * 1024)
                    + " MiB of writes went by: the way back needs rebuilding (stop, then replicate again)");
        }
        if (socket != null) {
            try {
                socket.write(b, off, len);
            } catch (IOException e) {
                detach();
            }
        }
    }

    @Override
    public synchronized void flush() {
        if (socket != null) {
            try {
                socket.flush();
            } catch (IOException e) {
                detach();
            }
        }
    }
}
