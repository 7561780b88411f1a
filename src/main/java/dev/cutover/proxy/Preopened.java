package dev.cutover.proxy;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A connection to the upstream a switch moves to, opened (TCP, then TLS) while requests still
 * flow, so the switch's pause holds no connects and no handshakes: at the switch the client
 * connection takes it over and only its state is replayed. Driven by its owner's event loop. Once
 * open it sends nothing but keeps reading, so one the server closed (an idle timeout, a restart)
 * counts as failed and is never taken over; TLS records that arrive (session tickets) wait in the
 * link for the connection that takes it over.
 */
final class Preopened {
    final Upstream to;
    final SocketChannel channel;
    final SelectionKey key;
    /** TLS on it, null for plain TCP. */
    final TlsLink tls;
    private boolean open;
    private boolean failed;
    /** When it became open (System.nanoTime). */
    private long openedAt;

    private Preopened(Upstream to, SocketChannel channel, SelectionKey key, TlsLink tls) {
        this.to = to;
        this.channel = channel;
        this.key = key;
        this.tls = tls;
    }

    /** Starts connecting; the selector reports progress to {@code owner}, which passes it to {@link #advance}. */
    static Preopened start(Upstream to, EventLoop loop, ClientPair owner) {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean now = ch.connect(to.address());
            SelectionKey key = ch.register(loop.selector, now ? 0 : SelectionKey.OP_CONNECT, owner);
            Preopened p = new Preopened(to, ch, key, to.tls() == null ? null : new TlsLink(to));
            if (now) {
                p.connected(loop.scratch);
            }
            return p;
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // it failed anyway: the switch connects the usual way
                }
            }
            return null;
        }
    }

    /** A selector event on {@link #key}. */
    void advance(ByteBuffer scratch) {
        try {
            if (open) {
                watch();
            } else if (key.isConnectable()) {
                channel.finishConnect();
                connected(scratch);
            } else {
                handshake(scratch);
            }
        } catch (IOException | RuntimeException e) {
            failed = true;
            close();
        }
    }

    private void connected(ByteBuffer scratch) throws IOException {
        if (tls == null) {
            done();
        } else {
            handshake(scratch);
        }
    }

    private void handshake(ByteBuffer scratch) throws IOException {
        if (tls.handshake(channel, scratch)) {
            done();
        } else {
            key.interestOps(tls.pendingOutput() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }

    private void done() {
        open = true;
        openedAt = System.nanoTime();
        key.interestOps(SelectionKey.OP_READ);
    }

    /** Bytes, or the end, on an open connection nothing was sent on. */
    private void watch() throws IOException {
        if (tls != null) {
            if (tls.readSocket(channel) < 0) { // records (session tickets) stay in the link
                throw new IOException("closed by the server");
            }
        } else if (channel.read(ByteBuffer.allocate(1)) != 0) {
            throw new IOException("closed by the server, or it spoke first (an error before closing)");
        }
    }

    /** Open and ready to carry the connection's requests. */
    boolean open() {
        return open;
    }

    /**
     * Open for less than {@code maxAgeNanos}: a connection idle for longer may have been dropped on
     * the way without a word (load balancers and NAT forget idle flows after a few minutes), and
     * one that carried the held writes into that silence would leave their clients hanging.
     */
    boolean openWithin(long now, long maxAgeNanos) {
        return open && now - openedAt < maxAgeNanos;
    }

    /** Open, or failed: nothing more will happen to it before the switch. */
    boolean settled() {
        return open || failed;
    }

    void close() {
        key.cancel();
        if (tls != null && open) {
            tls.closeQuietly(channel);
        }
        open = false;
        try {
            channel.close();
        } catch (IOException ignored) {
            // not used, nothing lost
        }
    }
}
