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
final class ClientPair implements Wire.SendListener {
    enum Phase { CONNECTING, CONNECTED, DOWN, CLOSED }

    /** A held connection is still read (so its requests are counted and its sender not stalled) up to this much. */
    private static final int HELD_READ_LIMIT = 4 * 1024 * 1024;
    /**
     * While it moves, a connection reads its upstream even if its client is slow to take what it
     * has (so a slow subscriber does not hold up the switch), up to this much waiting for the client.
     */
    private static final int MOVING_READ_LIMIT = 32 * 1024 * 1024;

    final EventLoop loop;
    final SocketChannel client;
    final SelectionKey clientKey;
    private final Wire clientWire;
    SocketChannel upstream;
    /** The plain upstream connection's bytes; null while there is none, and for TLS (its link does the I/O). */
    private Wire upstreamWire;
    SelectionKey upstreamKey;
    /** TLS on the upstream connection; null for plain TCP. */
    TlsLink tls;
    Upstream target;
    Phase phase = Phase.CONNECTING;
    long lastAttempt;
    String downReason = "";

    final InBuffer in;
    final OutBuffer toUpstream;
    final OutBuffer toClient;
    final PendingQueue pending = new PendingQueue();
    final ConnectionState state = new ConnectionState();
    final ReplyScanner scanner = new ReplyScanner();
    /** The frame being read answers a request whose reply the client must not see as is: kept here until it ends. */
    boolean holdingFrame;
    java.io.ByteArrayOutputStream heldFrame = new java.io.ByteArrayOutputStream(0);
    /** The frame being read answers a request whose reply the client must not see, and cannot be a push frame. */
    boolean droppingFrame;
    /** Entries added to {@link #pending} since the last flush upstream (for the latency stamp). */
    int unstamped;
    /** When the oldest of them was read, while their send waits for the loop's batch; -1 when none waits. */
    private long unstampedReadAt = -1;
    /** The requests {@link #forward}ed and not yet sent: {@code run[runFrom..runTo)}, or run == null. */
    private byte[] run;
    private int runFrom;
    private int runTo;

    boolean blocked;
    long blockedSince;
    int heldCount;
    /** Where this connection's incomplete request stopped being read, and the same for counting what a hold keeps. */
    final RequestParser.Progress parsed = new RequestParser.Progress();
    final RequestParser.Progress countProgress = new RequestParser.Progress();
    /** While held: how far (from the buffer's start) its requests were counted, and how many there were. */
    int countedTo;
    int counted;
    boolean quitting;
    /** A quitting client's end of stream came: nothing more to read from it (see {@link #watchQuitting}). */
    private boolean clientEnded;
    /** Nothing more is owed after QUIT or a protocol error: the connection closes once the client took every byte. */
    private boolean closing;
    private PendingSwitch pendingSwitch;
    /** A connection to the upstream a coming switch moves to, opened ahead of it; null when none. */
    private Preopened preopened;
    /** A subscriber that moved: its switch counts as done once the new upstream confirmed its subscriptions. */
    private Runnable afterReplay;

    ClientPair(EventLoop loop, SocketChannel client, Upstream target) throws IOException {
        this.loop = loop;
        this.client = client;
        this.target = target;
        MemoryBudget budget = loop.engine.budget;
        this.in = new InBuffer(budget, loop.engine.clientInputLimit);
        this.toUpstream = new OutBuffer(budget);
        this.toClient = new OutBuffer(budget);
        this.clientKey = client.register(loop.selector, SelectionKey.OP_READ, this);
        this.clientWire = loop.io.wire(client, this);
    }

    // ---- upstream connection

    void connect(Upstream to, Optional<Credentials> mapped) {
        target = to;
        lastAttempt = System.nanoTime();
        scanner.reset();
        holdingFrame = false;
        droppingFrame = false;
        phase = Phase.CONNECTING;
        Preopened ready = takePreopened(to);
        if (ready != null) {
            upstream = ready.channel;
            upstreamKey = ready.key;
            tls = ready.tls;
            upstreamWire = tls == null ? loop.io.wire(upstream, this) : null;
            loop.dispatcher.replay(this, to, mapped);
            connected();
            return;
        }
        try {
            SocketChannel ch = SocketChannel.open();
            upstream = ch;
            tls = to.tls() == null ? null : new TlsLink(to);
            upstreamWire = tls == null ? loop.io.wire(ch, this) : null;
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean now = ch.connect(to.address());
            upstreamKey = ch.register(loop.selector, now ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
            loop.dispatcher.replay(this, to, mapped);
            loop.connecting(this);
            if (now) {
                tcpConnected();
            }
        } catch (IOException | RuntimeException e) {
            upstreamFailed(reason(e));
        }
    }

    /** TCP is up: plain upstreams are ready; TLS ones start the handshake (still CONNECTING, under the same timeout). */
    private void tcpConnected() throws IOException {
        if (tls == null) {
            connected();
        } else {
            handshake();
        }
    }

    private void handshake() throws IOException {
        if (tls.handshake(upstream, loop.scratch)) {
            connected();
        } else {
            upstreamKey.interestOps(tls.pendingOutput() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
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
        replaySettled();
        if (!scanner.atBoundary()) {
            close(); // a reply was cut in the middle: the client's stream cannot be made whole
            return;
        }
        byte[] error = upstreamError();
        while (!pending.isEmpty()) {
            byte kind = pending.kind();
            byte flags = pending.flags();
            if ((flags & PendingQueue.WRITE) != 0) {
                loop.inflightWrites -= pending.count();
            }
            if (kind == PendingQueue.LOCAL) {
                appendClient((byte[]) pending.ref());
            } else if ((flags & (PendingQueue.SWALLOW | PendingQueue.MUTED)) == 0) {
                for (int i = kind == PendingQueue.REPLY ? pending.count() : 1; i > 0; i--) {
                    appendClient(error); // one per request, also when a batch shares the entry
                }
            }
            pending.pop();
        }
        unstamped = 0;
        unstampedReadAt = -1;
        toUpstream.clear();
        state.endTransaction();
        state.abortExec = false;
        if (quitting) {
            closeWhenFlushed();
            return;
        }
        flushClient();
        if (readyToSwitch()) {
            completeSwitch(); // the old upstream went away while a move waited for it
            return;
        }
        updateInterest();
    }

    byte[] upstreamError() {
        return Resp.error("ERR cutover proxy: upstream " + target.display() + " unreachable (" + downReason + ")");
    }

    void closeUpstream() {
        if (upstreamKey != null) {
            upstreamKey.cancel();
            upstreamKey = null;
        }
        if (tls != null) {
            if (upstream != null && phase == Phase.CONNECTED) {
                tls.closeQuietly(upstream);
            }
            tls = null;
        }
        if (upstream != null) {
            try {
                upstream.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            upstream = null;
        }
        upstreamWire = null;
    }

    static String reason(Exception e) {
        String m = e.getMessage();
        if (e instanceof javax.net.ssl.SSLException) {
            return "TLS: " + (m == null || m.isBlank() ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m));
        }
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    // ---- moving to another upstream

    /**
     * Opens a connection to {@code to} now, for a switch to take over later (see {@link Preopened});
     * one opened for it already is kept unless it has been idle longer than the proxy allows
     * ({@link ProxyOptions#preopenedMaxAge()}): then it is opened again, still before the pause.
     */
    void preopen(Upstream to) {
        if (preopened != null && preopened.to == to
                && (preopened.openWithin(System.nanoTime(), loop.engine.preopenedMaxAgeNanos) || !preopened.settled())) {
            return; // opened (or opening) for this switch already, recently enough
        }
        dropPreopened();
        if (phase != Phase.CLOSED) {
            preopened = Preopened.start(to, loop, this);
            if (preopened != null && !preopened.settled()) {
                loop.preopening++;
            }
        }
    }

    boolean preopenedOpen() {
        return preopened != null && preopened.open();
    }

    void dropPreopened() {
        Preopened p = preopened;
        if (p != null) {
            preopened = null;
            boolean opening = !p.settled();
            p.close();
            if (opening) {
                loop.preopenSettled();
            }
        }
    }

    /** The connection opened ahead for {@code to}, if it is open; any other is closed. */
    private Preopened takePreopened(Upstream to) {
        Preopened p = preopened;
        if (p != null && p.to == to && p.open()) {
            preopened = null;
            return p;
        }
        dropPreopened();
        return null;
    }

    /** Moves to {@code to} as soon as no reply is expected and none is half-read; {@code done} runs then. */
    void switchTo(Upstream to, Optional<Credentials> mapped, Runnable done) {
        pendingSwitch = new PendingSwitch(to, mapped, done);
        if (phase == Phase.CONNECTED && state.subscriptionCount() > 0) {
            fence();
        }
        if (readyToSwitch()) {
            completeSwitch();
        } else {
            updateInterest();
        }
    }

    /**
     * A subscriber's old upstream may have written messages the proxy has not read yet (published
     * before the hold, so acknowledged to their publishers). A PING goes after them; the move waits
     * for its reply, so every one of them reaches the client first.
     */
    private void fence() {
        loop.dispatcher.replayCommand(this, List.of(Resp.bytes("PING")));
        flushUpstream();
        updateInterest();
    }

    boolean switchPending() {
        return pendingSwitch != null;
    }

    boolean readyToSwitch() {
        return pendingSwitch != null && pending.isEmpty() && scanner.atBoundary();
    }

    /** True when every reply this connection waits for has arrived (nothing half-read either). */
    boolean drained() {
        return pending.isEmpty() && scanner.atBoundary() && toUpstream.isEmpty();
    }

    void completeSwitch() {
        PendingSwitch move = pendingSwitch;
        pendingSwitch = null;
        closeUpstream();
        move.carryOver(this);
        connect(move.to(), Optional.empty());
        flushClient();
        if (state.subscriptionCount() > 0) {
            afterReplay = move.done();
            replaySettled();
        } else {
            move.done().run();
        }
        if (phase != Phase.CLOSED) {
            updateInterest();
        }
    }

    /**
     * Ends a subscriber's move once the new upstream confirmed every replayed subscription (or the
     * connection failed): only then may held publishes go to the new upstream, or it would deliver
     * them before the subscriber is there to receive them.
     */
    void replaySettled() {
        if (afterReplay != null && (phase == Phase.DOWN || phase == Phase.CLOSED || !pending.any(PendingQueue.SWALLOW))) {
            Runnable done = afterReplay;
            afterReplay = null;
            done.run();
        }
    }

    /**
     * After a switch, the connection its tracking redirects to has {@code id} on the new upstream
     * (null: unknown, the old one is kept): tracking goes on with it.
     */
    void redirectTracking(String id) {
        if (phase == Phase.CLOSED || !state.trackingDeferred) {
            return;
        }
        state.trackingDeferred = false;
        if (id != null) {
            List<byte[]> args = new java.util.ArrayList<>(state.tracking);
            args.set(Redirects.idIndex(args), Resp.bytes(id));
            state.tracking = List.copyOf(args);
        }
        if (phase == Phase.DOWN) {
            return; // the reconnect replays it
        }
        List<byte[]> command = new java.util.ArrayList<>(List.of(Resp.bytes("CLIENT"), Resp.bytes("TRACKING"),
                Resp.bytes("ON")));
        command.addAll(state.tracking);
        loop.dispatcher.replayCommand(this, command);
        flushUpstream();
        updateInterest();
    }

    // ---- hold

    /** Holds this connection at its first buffered request (a write the hold keeps back). */
    void block() {
        blocked = true;
        blockedSince = System.nanoTime();
        countedTo = 0;
        counted = 0;
        countProgress.clear();
        int held = loop.dispatcher.countRequests(this);
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
        int sent = loop.dispatcher.process(this, now);
        if (in.stoppedForRoom() && phase != Phase.CLOSED) {
            readAgain(); // bytes the full buffer had no room for wait in the wire, not for an event
        }
        return sent;
    }

    // ---- I/O

    void ready(SelectionKey key) {
        try {
            if (key == clientKey) {
                if (key.isWritable()) {
                    flushClient();
                    if (closing && toClient.isEmpty()) {
                        close();
                        return;
                    }
                }
                if (key.isValid() && key.isReadable()) {
                    readClient();
                }
            } else if (preopened != null && key == preopened.key) {
                boolean opening = !preopened.settled();
                preopened.advance(loop.scratch);
                if (opening && preopened.settled()) {
                    loop.preopenSettled();
                }
                return;
            } else if (key == upstreamKey) {
                if (key.isConnectable()) {
                    upstream.finishConnect();
                    tcpConnected();
                    return;
                }
                if (phase == Phase.CONNECTING && tls != null) {
                    handshake();
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

    /** The wire a readable event on {@code key} reads: the client's, or a plain upstream's once connected. */
    Wire wireToRead(SelectionKey key) {
        if (key == clientKey) {
            return clientWire;
        }
        return key == upstreamKey && phase == Phase.CONNECTED && tls == null ? upstreamWire : null;
    }

    /**
     * Reads what the client sent and dispatches it. A buffer that could not grow stops the reading:
     * for the budget, the connection waits for memory ({@link EventLoop#starved}); at the client's
     * limit, the requests it holds go on and the reading continues — unless the first one alone is
     * bigger than the limit: then the client gets the server's kind of error and is closed.
     */
    private void readClient() throws IOException {
        if (quitting) {
            watchQuitting();
            return;
        }
        while (true) {
            int n = in.read(clientWire);
            if (n < 0) {
                if (!toClient.isEmpty() && clientWire.batched()) {
                    try { // the replies routed in this batch, as the write made at once would have sent them
                        toClient.flushTo(new ChannelWire(client));
                    } catch (IOException ignored) {
                        // gone both ways
                    }
                }
                close();
                return;
            }
            if (n > 0) {
                if (blocked) {
                    int now = loop.dispatcher.countRequests(this);
                    loop.heldCommands += now - heldCount;
                    heldCount = now;
                } else {
                    loop.dispatcher.process(this, System.nanoTime());
                }
            }
            if (phase == Phase.CLOSED || quitting || !in.stoppedForRoom()) {
                return; // read all there was
            }
            if (in.starved()) {
                loop.starved(this);
                return;
            }
            if (blocked) {
                return; // a held connection reads on once released (see unblock)
            }
            if (in.atLimit()) {
                overLimit(); // full at the limit, and not one request in it went on: the first is bigger
                return;
            }
            // requests went on and made room: read on
        }
    }

    /** The client's first request is bigger than the proxy takes from one client. */
    private void overLimit() {
        long limit = in.limit();
        in.release();
        protocolError("request larger than the proxy's client input limit of " + ProxyLimits.show(limit));
    }

    /** Closes the connection after an error of the proxy's own (its buffer memory given back at once). */
    void evict(String error) {
        in.release();
        answerAndClose(Resp.error(error));
    }

    /** Queues {@code reply} after the replies owed, then closes once the client has taken them; nothing more it sends is run. */
    private void answerAndClose(byte[] reply) {
        pending.add(PendingQueue.LOCAL, (byte) 0, 0, 0, reply);
        quitting = true;
        loop.router.emitLocal(this);
        if (pending.isEmpty()) {
            closeWhenFlushed();
        } else {
            flushClient();
            updateInterest();
        }
    }

    /**
     * Reads again after the reading stopped without the socket telling (the budget had room again,
     * or held requests went on): bytes the wire took off the socket already wait for no event.
     */
    void readAgain() {
        in.retry();
        if (phase == Phase.CLOSED) {
            return;
        }
        try {
            readClient();
        } catch (IOException e) {
            close();
            return;
        } catch (RespProtocolException e) {
            close();
            return;
        }
        if (phase != Phase.CLOSED) {
            updateInterest();
        }
    }

    /** The commands a fresh upstream connection of this client starts with (the login when the proxy logs clients in). */
    List<List<byte[]>> upstreamPrelude() {
        return target.clientPrelude();
    }

    private void readUpstream() throws IOException {
        if (tls != null) {
            readUpstreamTls();
            return;
        }
        ByteBuffer scratch = loop.scratch;
        scratch.clear();
        int n = upstreamWire.read(scratch);
        if (n < 0) {
            if (quitting) {
                closeUpstream(); // at its end: it must not wake the loop again while the client drains
                closeWhenFlushed();
            } else {
                upstreamFailed("connection closed by the server");
            }
            return;
        }
        if (n > 0) {
            loop.router.process(this, scratch.array(), 0, n, System.nanoTime());
        }
    }

    /**
     * Reads and decrypts everything whole the socket has: nothing decrypted may wait in the link,
     * since the selector only wakes the loop for new bytes on the socket.
     */
    private void readUpstreamTls() throws IOException {
        TlsLink link = tls;
        int n = link.readSocket(upstream);
        ByteBuffer scratch = loop.scratch;
        while (true) {
            scratch.clear();
            int got = link.unwrap(scratch);
            if (got > 0) {
                loop.router.process(this, scratch.array(), 0, got, System.nanoTime());
                if (tls != link || phase != Phase.CONNECTED) {
                    return; // moved to another upstream, or closed: the rest was the old connection's
                }
            } else {
                if (got < 0) {
                    n = -1; // close_notify
                }
                break;
            }
        }
        if (link.needsWrap()) {
            flushUpstream();
        }
        if (n < 0) {
            if (quitting) {
                closeUpstream(); // at its end: it must not wake the loop again while the client drains
                closeWhenFlushed();
            } else {
                upstreamFailed("connection closed by the server");
            }
        }
    }

    /**
     * After QUIT (or a protocol error) nothing the client sends is run, but its socket is still read
     * for its end. If it goes away while a blocking command waits, the upstream connection closes
     * now, as a server frees a client that disconnects: otherwise a later push would be popped for
     * nobody. Otherwise the replies still owed go out (a client that half-closed after QUIT reads
     * them) and the connection closes after them.
     */
    private void watchQuitting() throws IOException {
        ByteBuffer scratch = loop.scratch;
        scratch.clear();
        int n = clientWire.read(scratch);
        while (n > 0 && clientWire.readPending()) {
            scratch.clear();
            n = clientWire.read(scratch);
        }
        if (n < 0) {
            if (pending.any(PendingQueue.BLOCKING)) {
                close();
            } else {
                clientEnded = true;
            }
        }
    }

    /** Bytes for the upstream that the proxy made (replays, rewrites): after the requests forwarded so far. */
    void appendUpstream(byte[] b, int off, int len) {
        if (run != null) {
            toUpstream.append(run, runFrom, runTo - runFrom);
            run = null;
        }
        toUpstream.append(b, off, len);
    }

    /**
     * A request that goes upstream as the client sent it, still in the client's buffer: consecutive
     * ones are sent together by {@link #endRun}, without copying them first.
     */
    void forward(byte[] b, int from, int to) {
        if (run == b && runTo == from) {
            runTo = to;
            return;
        }
        if (run != null) {
            toUpstream.append(run, runFrom, runTo - runFrom);
        }
        run = b;
        runFrom = from;
        runTo = to;
    }

    /** Sends the forwarded requests: straight from the client's buffer when nothing waits before them. */
    void endRun() {
        if (run == null) {
            return;
        }
        byte[] b = run;
        run = null;
        if (!toUpstream.isEmpty() || tls != null || phase != Phase.CONNECTED) {
            toUpstream.append(b, runFrom, runTo - runFrom);
            return;
        }
        try {
            toUpstream.write(upstreamWire, ByteBuffer.wrap(b, runFrom, runTo - runFrom));
        } catch (IOException e) {
            toUpstream.clear();
            upstreamFailed(reason(e));
        }
    }

    void appendClient(byte[] b) {
        toClient.append(b);
    }

    void appendClient(byte[] b, int off, int len) {
        toClient.append(b, off, len);
    }

    void flushUpstream() {
        if (phase != Phase.CONNECTED || (toUpstream.isEmpty() && (tls == null || !tls.pendingOutput() && !tls.needsWrap()))) {
            return;
        }
        try {
            if (tls == null) {
                toUpstream.flushTo(upstreamWire);
            } else {
                tls.write(toUpstream, upstream);
            }
        } catch (IOException e) {
            toUpstream.clear();
            upstreamFailed(reason(e));
        }
    }

    /**
     * Replies for the client, after whatever is queued for it. A client that cannot take them is
     * gone: the connection closes, as when a flush fails (it is not the upstream's failure).
     */
    void writeClient(ByteBuffer view) {
        try {
            toClient.write(clientWire, view);
        } catch (IOException e) {
            close();
        }
    }

    void flushClient() {
        if (toClient.isEmpty() || phase == Phase.CLOSED) {
            return;
        }
        try {
            toClient.flushTo(clientWire);
        } catch (IOException e) {
            close();
        }
    }

    /**
     * The requests of the last dispatch were read at {@code readAt}: they are stamped with the time
     * they took to reach the upstream socket, now, or when the loop's batch sends them.
     */
    void stampDispatched(long readAt) {
        if (upstreamWire != null && upstreamWire.sendQueued()) {
            if (unstampedReadAt < 0) {
                unstampedReadAt = readAt;
            }
            return;
        }
        pending.stampLast(unstamped, System.nanoTime() - readAt);
        unstamped = 0;
        unstampedReadAt = -1;
    }

    boolean clientSendQueued() {
        return clientWire.sendQueued();
    }

    /** A batched send went out (see {@link LoopIo#flush}): what follows a write made at once follows it now. */
    @Override
    public void sent(Wire wire, IOException failure) {
        if (phase == Phase.CLOSED) {
            return;
        }
        if (wire == clientWire) {
            if (failure != null || closing && toClient.isEmpty()) {
                close();
                return;
            }
        } else if (wire == upstreamWire) {
            if (failure != null) {
                toUpstream.clear();
                upstreamFailed(reason(failure));
                return;
            }
            if (unstampedReadAt >= 0 && unstamped > 0) {
                pending.stampLast(unstamped, System.nanoTime() - unstampedReadAt);
                unstamped = 0;
            }
            unstampedReadAt = -1;
        } else {
            return; // a connection left behind by a switch
        }
        updateInterest();
    }

    void updateInterest() {
        if (phase == Phase.CLOSED || !clientKey.isValid()) {
            return;
        }
        if (clientWire.sendQueued() || upstreamWire != null && upstreamWire.sendQueued()) {
            return; // the loop's batch of sends is about to tell this connection ({@link #sent}), which sets it then
        }
        boolean upstreamBacklog = !toUpstream.isEmpty() || tls != null && tls.pendingOutput();
        boolean readClient = quitting ? !clientEnded && !closing
                : (!blocked || in.unread() < HELD_READ_LIMIT) && !upstreamBacklog && !in.starved();
        setInterest(clientKey, (readClient ? SelectionKey.OP_READ : 0)
                | (!toClient.isEmpty() ? SelectionKey.OP_WRITE : 0));
        if (upstreamKey != null && upstreamKey.isValid() && phase != Phase.CONNECTING) {
            // A switch waits for every frame under way to end: while it does (the loop paused) and while
            // the connection moves, a slow client does not stop the reading, up to a bound.
            boolean moving = loop.paused || pendingSwitch != null || afterReplay != null;
            boolean readUpstream = toClient.isEmpty() || moving && toClient.size() < MOVING_READ_LIMIT;
            setInterest(upstreamKey, (readUpstream ? SelectionKey.OP_READ : 0)
                    | (upstreamBacklog ? SelectionKey.OP_WRITE : 0));
        }
    }

    /** Setting a key's interest is an atomic exchange: most events change nothing, so those skip it. */
    private static void setInterest(SelectionKey key, int ops) {
        if (key.interestOps() != ops) {
            key.interestOps(ops);
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

    /**
     * The client sent something that is not RESP: as a server does, the requests before it get
     * their replies, then the error, then the connection closes. Nothing more it sends is run.
     */
    void protocolError(String message) {
        answerAndClose(Resp.error("ERR Protocol error: " + message));
    }

    /**
     * After QUIT or a protocol error, once no reply is owed: closes as soon as the client has taken
     * every byte queued for it (a client that reads slowly still gets the last replies and the error).
     */
    void closeWhenFlushed() {
        closing = true;
        flushClient();
        if (phase != Phase.CLOSED && toClient.isEmpty()) {
            close();
        } else {
            updateInterest();
        }
    }

    void close() {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        loop.inflightWrites -= pending.repliesFlagged(PendingQueue.WRITE);
        if (blocked) {
            loop.heldCommands -= heldCount;
        }
        pending.clear();
        closeUpstream();
        dropPreopened();
        in.release();
        toUpstream.release();
        toClient.release();
        clientKey.cancel();
        try {
            client.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        loop.removed(this);
        if (pendingSwitch != null) {
            pendingSwitch.done().run();
            pendingSwitch = null;
        }
        replaySettled();
    }
}
