package dev.cutover.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Optional;

/**
 * One client connection and its own upstream connection, confined to one event loop: bytes from
 * the client are framed and dispatched by the loop's {@link Dispatcher}, replies are framed and
 * routed back by its {@link ReplyRouter}. Holds the buffers, the replies still expected, and the
 * connection's state; can move to another upstream between two replies.
 */
final class ClientPair {
    enum Phase { CONNECTING, CONNECTED, DOWN, CLOSED }

    private static final int INITIAL = 16 * 1024;
    private static final int SHRINK_ABOVE = 1024 * 1024;
    /** A held connection is still read (so its requests are counted and its sender not stalled) up to this much. */
    private static final int HELD_READ_LIMIT = 4 * 1024 * 1024;

    final EventLoop loop;
    final SocketChannel client;
    final SelectionKey clientKey;
    SocketChannel upstream;
    SelectionKey upstreamKey;
    Upstream target;
    Phase phase = Phase.CONNECTING;
    long lastAttempt;
    String downReason = "";

    ByteBuffer in = ByteBuffer.allocate(INITIAL);
    int inRead;
    ByteBuffer toUpstream = ByteBuffer.allocate(INITIAL);
    ByteBuffer toClient = ByteBuffer.allocate(INITIAL);
    final PendingQueue pending = new PendingQueue();
    final ConnectionState state = new ConnectionState();
    final ReplyScanner scanner = new ReplyScanner();
    /** The frame being read answers a request whose reply the client must not see as is: kept here until it ends. */
    boolean holdingFrame;
    final java.io.ByteArrayOutputStream heldFrame = new java.io.ByteArrayOutputStream(0);
    /** Entries added to {@link #pending} since the last flush upstream (for the latency stamp). */
    int unstamped;

    boolean blocked;
    long blockedSince;
    int heldCount;
    boolean quitting;
    private Upstream switchTarget;
    private Optional<Credentials> switchCredentials = Optional.empty();
    private Runnable switchDone;

    ClientPair(EventLoop loop, SocketChannel client, Upstream target) throws IOException {
        this.loop = loop;
        this.client = client;
        this.target = target;
        this.clientKey = client.register(loop.selector, SelectionKey.OP_READ, this);
    }

    // ---- upstream connection

    void connect(Upstream to, Optional<Credentials> mapped) {
        target = to;
        lastAttempt = System.nanoTime();
        scanner.reset();
        holdingFrame = false;
        phase = Phase.CONNECTING;
        try {
            SocketChannel ch = SocketChannel.open();
            upstream = ch;
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean now = ch.connect(to.address());
            upstreamKey = ch.register(loop.selector, now ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
            loop.dispatcher.replay(this, to, mapped);
            loop.connecting(this);
            if (now) {
                connected();
            }
        } catch (IOException | RuntimeException e) {
            upstreamFailed(reason(e));
        }
    }

    private void connected() {
        phase = Phase.CONNECTED;
        loop.engine.health.up(target);
        flushUpstream();
        updateInterest();
    }

    /** Connect attempts older than the connect timeout fail (the loop checks these on its tick). */
    void checkConnectTimeout(long now, long timeoutNanos) {
        if (phase == Phase.CONNECTING && now - lastAttempt > timeoutNanos) {
            upstreamFailed("no connection within " + timeoutNanos / 1_000_000 + "ms");
        }
    }

    void upstreamFailed(String reason) {
        closeUpstream();
        phase = Phase.DOWN;
        downReason = reason;
        loop.engine.health.down(target, reason);
        if (!scanner.atBoundary()) {
            close(); // a reply was cut in the middle: the client's stream cannot be made whole
            return;
        }
        byte[] error = upstreamError();
        while (!pending.isEmpty()) {
            byte kind = pending.kind();
            byte flags = pending.flags();
            if ((flags & PendingQueue.WRITE) != 0) {
                loop.inflightWrites--;
            }
            if (kind == PendingQueue.LOCAL) {
                appendClient((byte[]) pending.ref());
            } else if ((flags & PendingQueue.SWALLOW) == 0) {
                appendClient(error);
            }
            pending.pop();
        }
        unstamped = 0;
        toUpstream.clear();
        state.endTransaction();
        state.abortExec = false;
        if (quitting) {
            flushClient();
            close();
            return;
        }
        flushClient();
        updateInterest();
    }

    byte[] upstreamError() {
        return Resp.error("ERR cutover proxy: upstream " + target.display() + " unreachable (" + downReason + ")");
    }

    private void closeUpstream() {
        if (upstreamKey != null) {
            upstreamKey.cancel();
            upstreamKey = null;
        }
        if (upstream != null) {
            try {
                upstream.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            upstream = null;
        }
    }

    static String reason(Exception e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    // ---- moving to another upstream

    /** Moves to {@code to} as soon as no reply is expected and none is half-read; {@code done} runs then. */
    void switchTo(Upstream to, Optional<Credentials> mapped, Runnable done) {
        switchTarget = to;
        switchCredentials = mapped;
        switchDone = done;
        if (readyToSwitch()) {
            completeSwitch();
        }
    }

    boolean switchPending() {
        return switchTarget != null;
    }

    boolean readyToSwitch() {
        return switchTarget != null && pending.isEmpty() && scanner.atBoundary();
    }

    /** True when every reply this connection waits for has arrived (nothing half-read either). */
    boolean drained() {
        return pending.isEmpty() && scanner.atBoundary() && toUpstream.position() == 0;
    }

    void completeSwitch() {
        Upstream to = switchTarget;
        Optional<Credentials> mapped = switchCredentials;
        Runnable done = switchDone;
        switchTarget = null;
        switchDone = null;
        closeUpstream();
        if (state.watching) {
            state.abortExec = true; // the WATCH guarded keys on the old upstream
            state.watching = false;
        }
        if (state.auth != null && mapped.isPresent()) {
            state.auth = mapped.get();
        }
        boolean invalidated = false;
        if (state.subscriptions[ConnectionState.CHANNELS].contains(Resp.INVALIDATE_CHANNEL)) {
            appendClient(state.protocol == 3 ? Resp.INVALIDATE_ALL_3 : Resp.INVALIDATE_ALL_2);
            invalidated = true;
        }
        if (!invalidated && state.tracking != null && state.protocol == 3) {
            appendClient(Resp.INVALIDATE_ALL_3);
        }
        connect(to, Optional.empty());
        flushClient();
        if (done != null) {
            done.run();
        }
    }

    // ---- hold

    void block(int held) {
        blocked = true;
        blockedSince = System.nanoTime();
        heldCount = held;
        loop.heldCommands += held;
        updateInterest();
    }

    /** Dispatches what was held; returns how many commands went out, and adds the pause this client saw. */
    int unblock(long now, List<Long> pauses) {
        if (!blocked) {
            return 0;
        }
        blocked = false;
        loop.heldCommands -= heldCount;
        heldCount = 0;
        pauses.add(now - blockedSince);
        return loop.dispatcher.process(this, now);
    }

    // ---- I/O

    void ready(SelectionKey key) {
        try {
            if (key == clientKey) {
                if (key.isWritable()) {
                    flushClient();
                }
                if (key.isValid() && key.isReadable()) {
                    readClient();
                }
            } else if (key == upstreamKey) {
                if (key.isConnectable()) {
                    upstream.finishConnect();
                    connected();
                    return;
                }
                if (key.isWritable()) {
                    flushUpstream();
                }
                if (key.isValid() && key.isReadable()) {
                    readUpstream();
                }
            }
            if (phase != Phase.CLOSED) {
                updateInterest();
            }
        } catch (IOException e) {
            if (key == upstreamKey) {
                upstreamFailed(reason(e));
            } else {
                close();
            }
        } catch (RespProtocolException e) {
            if (key == upstreamKey) {
                upstreamFailed("protocol error: " + e.getMessage());
            } else {
                close();
            }
        }
    }

    private void readClient() throws IOException {
        if (!in.hasRemaining()) {
            makeRoom(in.position() - inRead + 1L);
        }
        int n = client.read(in);
        if (n < 0) {
            close();
            return;
        }
        if (n > 0) {
            if (blocked) {
                int now = loop.dispatcher.countRequests(in.array(), inRead, in.position());
                loop.heldCommands += now - heldCount;
                heldCount = now;
            } else {
                loop.dispatcher.process(this, System.nanoTime());
            }
        }
    }

    private void readUpstream() throws IOException {
        ByteBuffer scratch = loop.scratch;
        scratch.clear();
        int n = upstream.read(scratch);
        if (n < 0) {
            if (quitting) {
                close();
            } else {
                upstreamFailed("connection closed by the server");
            }
            return;
        }
        if (n > 0) {
            loop.router.process(this, scratch.array(), 0, n, System.nanoTime());
        }
    }

    /** Makes room in {@link #in} for a request of {@code needed} bytes: compacts, grows. */
    void makeRoom(long needed) {
        int unread = in.position() - inRead;
        if (inRead > 0) {
            System.arraycopy(in.array(), inRead, in.array(), 0, unread);
            in.position(unread);
            inRead = 0;
        }
        if (needed > in.capacity() || !in.hasRemaining()) {
            int size = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, in.capacity() * 2L));
            ByteBuffer bigger = ByteBuffer.allocate(size);
            bigger.put(in.array(), 0, unread);
            in = bigger;
        }
    }

    /** After requests were consumed: start the buffer over, and give back a big one. */
    void compactIn() {
        if (inRead == in.position()) {
            inRead = 0;
            in.clear();
            if (in.capacity() > SHRINK_ABOVE) {
                in = ByteBuffer.allocate(INITIAL);
            }
        }
    }

    void appendUpstream(byte[] b, int off, int len) {
        toUpstream = ensure(toUpstream, len);
        toUpstream.put(b, off, len);
    }

    void appendClient(byte[] b) {
        appendClient(b, 0, b.length);
    }

    void appendClient(byte[] b, int off, int len) {
        toClient = ensure(toClient, len);
        toClient.put(b, off, len);
    }

    private static ByteBuffer ensure(ByteBuffer buf, int more) {
        if (buf.remaining() >= more) {
            return buf;
        }
        ByteBuffer bigger = ByteBuffer.allocate((int) Math.max(buf.position() + (long) more, buf.capacity() * 2L));
        buf.flip();
        bigger.put(buf);
        return bigger;
    }

    void flushUpstream() {
        if (phase != Phase.CONNECTED || toUpstream.position() == 0) {
            return;
        }
        try {
            toUpstream.flip();
            upstream.write(toUpstream);
            toUpstream.compact();
            if (toUpstream.position() == 0 && toUpstream.capacity() > SHRINK_ABOVE) {
                toUpstream = ByteBuffer.allocate(INITIAL);
            }
        } catch (IOException e) {
            toUpstream.clear();
            upstreamFailed(reason(e));
        }
    }

    /** Writes {@code b[off..off+len)} to the client after whatever is queued for it; keeps what the socket did not take. */
    void writeClient(ByteBuffer view) throws IOException {
        if (toClient.position() == 0) {
            client.write(view);
            if (view.hasRemaining()) {
                appendClient(view.array(), view.position(), view.remaining());
            }
        } else {
            appendClient(view.array(), view.position(), view.remaining());
            flushClient();
        }
    }

    void flushClient() {
        if (toClient.position() == 0 || phase == Phase.CLOSED) {
            return;
        }
        try {
            toClient.flip();
            client.write(toClient);
            toClient.compact();
            if (toClient.position() == 0 && toClient.capacity() > SHRINK_ABOVE) {
                toClient = ByteBuffer.allocate(INITIAL);
            }
        } catch (IOException e) {
            close();
        }
    }

    void updateInterest() {
        if (phase == Phase.CLOSED || !clientKey.isValid()) {
            return;
        }
        boolean readClient = (!blocked || in.position() - inRead < HELD_READ_LIMIT) && toUpstream.position() == 0
                && !quitting;
        clientKey.interestOps((readClient ? SelectionKey.OP_READ : 0)
                | (toClient.position() > 0 ? SelectionKey.OP_WRITE : 0));
        if (upstreamKey != null && upstreamKey.isValid() && phase != Phase.CONNECTING) {
            upstreamKey.interestOps((toClient.position() == 0 ? SelectionKey.OP_READ : 0)
                    | (toUpstream.position() > 0 ? SelectionKey.OP_WRITE : 0));
        }
    }

    /** The local address of the upstream connection: how the upstream's CLIENT LIST shows it (addr=…). */
    InetSocketAddress upstreamLocalAddress() {
        try {
            return upstream == null ? null : (InetSocketAddress) upstream.getLocalAddress();
        } catch (IOException e) {
            return null;
        }
    }

    void protocolError(String message) {
        appendClient(Resp.error("ERR Protocol error: " + message));
        flushClient();
        close();
    }

    void close() {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        loop.inflightWrites -= pending.countFlag(PendingQueue.WRITE);
        if (blocked) {
            loop.heldCommands -= heldCount;
        }
        pending.clear();
        closeUpstream();
        clientKey.cancel();
        try {
            client.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        loop.removed(this);
        if (switchDone != null) {
            switchDone.run();
            switchDone = null;
        }
    }
}
