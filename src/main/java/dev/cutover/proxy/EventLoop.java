package dev.cutover.proxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One selector thread owning a share of the client connections and their upstream connections.
 * Everything about a connection happens on its loop's thread; other threads ask through
 * {@link #call}, so nothing on the forwarding path takes a lock.
 */
final class EventLoop implements Runnable {
    private static final long CONNECT_TIMEOUT_NANOS = 3_000_000_000L;
    /**
     * Connections a loop opens ahead of a switch at once: thousands together would overflow the
     * server's accept queue (511 by default) and put all their TLS handshakes on it in one burst.
     */
    static final int MAX_PREOPENING = 64;

    final ProxyEngine engine;
    final Selector selector;
    final ByteBuffer scratch = ByteBuffer.allocate(64 * 1024);
    final Dispatcher dispatcher = new Dispatcher(this);
    final ReplyRouter router = new ReplyRouter(this);
    final LatencyHistogram latency = new LatencyHistogram();
    /** How this loop's plain sockets read and write; made on the loop's thread when it starts. */
    LoopIo io;
    private volatile String ioDescription = "";
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final List<SelectionKey> readyKeys = new ArrayList<>();
    /** Made once: a method reference made in the loop would be a new object every turn. */
    private final java.util.function.Consumer<SelectionKey> collectReady = readyKeys::add;
    private final java.util.function.Function<SelectionKey, Wire> wireToRead = this::wireToRead;
    /** Latencies whose replies wait for the loop's batch of sends: each plus the time it goes out (see {@link #recordAfterSends}). */
    private long[] latencyLessSendTime = new long[256];
    private int[] latencyTimes = new int[256];
    private int latencyWaiting;
    private final Set<ClientPair> pairs = new LinkedHashSet<>();
    private final Set<ClientPair> connecting = new HashSet<>();
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final Thread thread;
    private final String name;
    private volatile boolean running = true;
    /** Connections that stopped reading because the budget had no room, with the time each started waiting. */
    private final java.util.LinkedHashMap<ClientPair, Long> starved = new java.util.LinkedHashMap<>();
    /** Connections closed because serving them raised an exception or error (the loop goes on). */
    long connectionFailures;
    String lastConnectionFailure = "";

    /** Client connections waiting for their turn to open a connection ahead of a switch to {@link #preopenTo}. */
    private final java.util.ArrayDeque<ClientPair> preopenQueue = new java.util.ArrayDeque<>();
    private Upstream preopenTo;

    /** Loop-confined: read and changed only on this loop's thread. */
    boolean holdWrites;
    boolean paused;
    long inflightWrites;
    long heldCommands;
    long commands;
    long replayErrors;
    String lastReplayError = "";
    /** Connections being opened ahead of a switch (connecting, or in their TLS handshake). */
    int preopening;

    EventLoop(ProxyEngine engine, String name) {
        this.engine = engine;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.name = name;
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
    }

    String name() {
        return name;
    }

    /** Takes over a failed loop's hold (its connections are gone): writes stay held, a pause stays a pause. */
    void inherit(EventLoop dead) {
        holdWrites = dead.holdWrites;
        paused = dead.paused;
    }

    void start() {
        thread.start();
        started.join();
    }

    /** "io_uring", or "channel" and why (see {@link LoopIo}). */
    String ioDescription() {
        return ioDescription;
    }

    void execute(Runnable task) {
        tasks.add(task);
        if (Thread.currentThread() != thread && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    <T> CompletableFuture<T> call(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        execute(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    @Override
    public void run() {
        try {
            io = LoopIo.create();
        } catch (RuntimeException | Error e) { // create falls back itself; this is for the unforeseen
            io = new LoopIo.ChannelIo(String.valueOf(e.getMessage()));
        }
        ioDescription = io.describe();
        started.complete(null);
        Throwable failure = null;
        try {
            loop();
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            closeAll();
            io.close();
        }
        if (failure != null && running) {
            engine.loopFailed(this, failure);
        }
    }

    private void closeAll() {
        for (ClientPair p : new ArrayList<>(pairs)) {
            try {
                p.close();
            } catch (RuntimeException | Error e) {
                // the rest still close
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // stopping anyway
        }
    }

    private void loop() {
        while (running) {
            try {
                selector.select(collectReady, connecting.isEmpty() ? 0 : 100);
            } catch (IOException e) {
                if (!running) {
                    break;
                }
                throw new UncheckedIOException(e);
            }
            try {
                int batch = io.readAheadBatch();
                for (int from = 0; from < readyKeys.size(); from += batch) {
                    int to = Math.min(readyKeys.size(), from + batch);
                    io.readAhead(readyKeys, from, to, wireToRead);
                    for (int i = from; i < to; i++) {
                        ready(readyKeys.get(i));
                    }
                }
            } catch (LoopIo.Failure e) {
                ioFailed(e);
            }
            readyKeys.clear();
            flush();
            if (wakeupPending.get()) {
                wakeupPending.set(false); // a volatile write costs a fence: only when a wake-up was asked for
            }
            for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    failed(null, e); // a task's caller hears of it through its future (see call)
                }
            }
            if (!connecting.isEmpty()) {
                tick();
            }
            flush();
        }
    }

    private void ready(SelectionKey key) {
        if (key.attachment() instanceof ClientPair pair && key.isValid()) {
            try {
                pair.ready(key);
            } catch (RuntimeException | Error e) {
                failed(pair, e);
            }
        }
    }

    /**
     * Serving one connection raised something unforeseen (an OutOfMemoryError included): that
     * connection closes, giving its buffers back, and the loop serves the others.
     */
    private void failed(ClientPair pair, Throwable e) {
        connectionFailures++;
        lastConnectionFailure = String.valueOf(e);
        if (pair != null) {
            try {
                pair.close();
            } catch (RuntimeException | Error again) {
                pairs.remove(pair);
            }
        }
    }

    /** {@code times} commands took {@code nanosLessSendTime} plus the time the loop's next batch sends their replies. */
    void recordAfterSends(long nanosLessSendTime, int times) {
        if (latencyWaiting == latencyTimes.length) {
            latencyLessSendTime = java.util.Arrays.copyOf(latencyLessSendTime, latencyWaiting * 2);
            latencyTimes = java.util.Arrays.copyOf(latencyTimes, latencyWaiting * 2);
        }
        latencyLessSendTime[latencyWaiting] = nanosLessSendTime;
        latencyTimes[latencyWaiting++] = times;
    }

    private void flush() {
        try {
            io.flush();
        } catch (LoopIo.Failure e) {
            ioFailed(e);
        }
        if (latencyWaiting > 0) {
            long now = System.nanoTime();
            for (int i = 0; i < latencyWaiting; i++) {
                latency.record(latencyLessSendTime[i] + now, latencyTimes[i]);
            }
            latencyWaiting = 0;
        }
    }

    /**
     * The ring failed as a whole (not one socket): what its connections sent and received is not
     * known, so they are closed (their clients see the connection drop and reconnect, rather than
     * a stream with a hole in it); new connections use the channels.
     */
    private void ioFailed(LoopIo.Failure e) {
        io.close();
        io = new LoopIo.ChannelIo(String.valueOf(e.getMessage()));
        ioDescription = io.describe();
        new ArrayList<>(pairs).forEach(ClientPair::close);
    }

    private Wire wireToRead(SelectionKey key) {
        return key.attachment() instanceof ClientPair pair && key.isValid() && key.isReadable() ? pair.wireToRead(key) : null;
    }

    private void tick() {
        long now = System.nanoTime();
        for (ClientPair p : new ArrayList<>(connecting)) {
            if (p.phase != ClientPair.Phase.CONNECTING) {
                connecting.remove(p);
            } else {
                p.checkConnectTimeout(now, CONNECT_TIMEOUT_NANOS);
            }
        }
    }

    /** A new client: its upstream connection starts at once; its requests wait for it in the buffer. */
    void adopt(SocketChannel channel) {
        try {
            ClientPair pair = new ClientPair(this, channel, engine.upstream);
            pairs.add(pair);
            pair.connect(engine.upstream, Optional.empty());
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the client is gone already
            }
        }
    }

    /** {@code pair} could not grow its request buffer: it reads again when memory comes free. */
    void starved(ClientPair pair) {
        starved.putIfAbsent(pair, System.nanoTime());
    }

    /** Memory came free: every waiting connection tries again (those still without room wait again). */
    void retryStarved() {
        if (starved.isEmpty()) {
            return;
        }
        List<ClientPair> waiting = new ArrayList<>(starved.keySet());
        java.util.Map<ClientPair, Long> since = new java.util.HashMap<>(starved);
        starved.clear();
        for (ClientPair p : waiting) {
            if (p.phase == ClientPair.Phase.CLOSED) {
                continue;
            }
            try {
                p.readAgain();
            } catch (RuntimeException | Error e) {
                failed(p, e);
            }
            if (starved.containsKey(p)) {
                starved.put(p, since.get(p)); // still waiting: since it first had to
            }
        }
    }

    /** How long the oldest connection here has waited for memory, and the largest request buffer here. */
    long[] starvation(long now) {
        long oldest = 0;
        for (long since : starved.values()) {
            oldest = Math.max(oldest, now - since);
        }
        long largest = 0;
        for (ClientPair p : pairs) {
            largest = Math.max(largest, p.in.capacity());
        }
        return new long[] {oldest, largest};
    }

    /** Closes the connection holding the largest request buffer here (see {@link ProxyEngine}); true if one was. */
    boolean evictLargest(MemoryBudget budget) {
        ClientPair largest = null;
        for (ClientPair p : pairs) {
            if (p.in.capacity() > InBuffer.INITIAL && (largest == null || p.in.capacity() > largest.in.capacity())) {
                largest = p;
            }
        }
        if (largest == null) {
            return false;
        }
        largest.evict("ERR cutover proxy: closing this connection: its request held "
                + ProxyLimits.show(largest.in.capacity()) + " of the proxy's " + ProxyLimits.show(budget.limit())
                + " buffer budget, the most of any client, while others waited for room");
        return true;
    }

    void connecting(ClientPair pair) {
        connecting.add(pair);
    }

    void removed(ClientPair pair) {
        pairs.remove(pair);
        connecting.remove(pair);
        starved.remove(pair);
    }

    Set<ClientPair> pairs() {
        return pairs;
    }

    /** Opens a connection to {@code to} ahead of a switch for every client connection, {@link #MAX_PREOPENING} at a time. */
    void preopenAll(Upstream to) {
        preopenQueue.clear();
        preopenTo = to;
        preopenQueue.addAll(pairs);
        startPreopens();
    }

    /** One connection being opened ahead is open, failed or dropped: the next may start. */
    void preopenSettled() {
        preopening--;
        startPreopens();
    }

    private void startPreopens() {
        while (preopening < MAX_PREOPENING && !preopenQueue.isEmpty()) {
            ClientPair p = preopenQueue.poll();
            if (p.phase != ClientPair.Phase.CLOSED) {
                p.preopen(preopenTo);
            }
        }
    }

    /** Every client connection's turn came, and what it opened is open or failed. */
    boolean preopensSettled() {
        return preopenQueue.isEmpty() && preopening == 0;
    }

    /** Closes what was opened ahead (the switch happened, or will not) and starts no more. */
    void dropPreopened() {
        preopenQueue.clear();
        new ArrayList<>(pairs).forEach(ClientPair::dropPreopened);
    }

    /**
     * A switch stops all dispatch and waits for the replies and messages under way. A connection
     * whose client is slow stopped reading its upstream, perhaps in the middle of a frame: it reads
     * on now (see {@link ClientPair#updateInterest}), or that frame would never end.
     */
    void pause() {
        paused = true;
        for (ClientPair p : new ArrayList<>(pairs)) {
            if (!p.drained()) {
                p.updateInterest();
            }
        }
    }

    /** Lets held requests go: to the current upstream; returns what was released and the pause each client saw. */
    Release resume() {
        paused = false;
        holdWrites = false;
        List<Long> pauses = new ArrayList<>();
        long now = System.nanoTime();
        int released = 0;
        for (ClientPair p : new ArrayList<>(pairs)) {
            released += p.unblock(now, pauses);
        }
        return new Release(released, pauses);
    }

    /** After a switch that could not drain: reads flow again, writes stay held. */
    Release resumeReads() {
        paused = false;
        List<Long> ignored = new ArrayList<>();
        int released = 0;
        for (ClientPair p : new ArrayList<>(pairs)) {
            released += p.unblock(System.nanoTime(), ignored);
        }
        return new Release(released, ignored);
    }

    /** What one loop let go when a hold ended. */
    record Release(int commands, List<Long> pausesNanos) {
    }

    void stop() {
        running = false;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
