package dev.cutover.proxy;

import dev.cutover.CutoverException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The forwarding machinery: a listening socket, an accept thread that hands each client to one of
 * the event loops in turn, the upstream they connect to, the command table, and a timer that
 * samples throughput and latency each second and probes an unreachable upstream.
 */
final class ProxyEngine implements AutoCloseable {
    private static final int WINDOW_SECONDS = 10;

    volatile CommandTable table = CommandTable.fallback();
    volatile Upstream upstream;
    /** Credentials clients used on an earlier upstream → what they use on the current one (set by a switch). */
    volatile java.util.Map<Credentials, Credentials> authMap = java.util.Map.of();
    final UpstreamHealth health;
    /** Who authenticates clients: the upstream (transparent) or the proxy itself. */
    final ClientAuth clientAuth;
    /** What all connections together may buffer, and one client's largest request. */
    final MemoryBudget budget;
    final long clientInputLimit;
    /** The event loops; a loop that failed is replaced in its place (see {@link #loopFailed}). */
    final List<EventLoop> loops = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong loopFailures = new java.util.concurrent.atomic.AtomicLong();
    private volatile String lastLoopFailure = "";
    private final java.util.concurrent.atomic.AtomicLong evicted = new java.util.concurrent.atomic.AtomicLong();
    final ScheduledExecutorService timer;
    /** A connection opened ahead of a switch and idle for longer is opened again when the switch comes. */
    final long preopenedMaxAgeNanos;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final Deque<LatencyHistogram> latencyWindow = new ArrayDeque<>();
    private final Deque<Long> commandWindow = new ArrayDeque<>();
    private volatile double opsPerSecond;
    private long lastCommands;

    ProxyEngine(InetSocketAddress listen, Upstream upstream, int loopCount, Duration preopenedMaxAge, ClientAuth clientAuth,
                ProxyLimits limits) {
        this.upstream = upstream;
        this.preopenedMaxAgeNanos = preopenedMaxAge.toNanos();
        this.clientAuth = clientAuth;
        this.clientInputLimit = limits.clientInput();
        this.budget = new MemoryBudget(limits.budget());
        budget.onFreed(this::wakeStarved);
        this.health = new UpstreamHealth(upstream);
        try {
            server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(listen, 1024);
        } catch (BindException e) {
            throw CutoverException.precondition("cannot listen on " + listen.getHostString() + ":" + listen.getPort()
                    + ": " + e.getMessage().toLowerCase(java.util.Locale.ROOT) + " (is another proxy or server on it?)");
        } catch (IOException e) {
            throw CutoverException.precondition("cannot listen on " + listen.getHostString() + ":" + listen.getPort()
                    + ": " + e.getMessage());
        }
        for (int i = 0; i < loopCount; i++) {
            EventLoop loop = new EventLoop(this, "proxy-loop-" + i);
            loops.add(loop);
            loop.start();
        }
        acceptor = new Thread(this::acceptLoop, "proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "proxy-timer");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    InetSocketAddress address() {
        try {
            return (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void acceptLoop() {
        int next = 0;
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                EventLoop loop = loops.get(Math.floorMod(next++, loops.size()));
                loop.execute(() -> loop.adopt(channel));
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    /**
     * A loop's thread failed outside any one connection (its connections were closed): a fresh loop
     * takes its place with its hold, so the proxy goes on serving; the status says it happened.
     */
    void loopFailed(EventLoop dead, Throwable cause) {
        loopFailures.incrementAndGet();
        lastLoopFailure = dead.name() + ": " + cause;
        System.err.println("cutover proxy: event loop " + dead.name() + " failed (" + cause + "); its clients were"
                + " disconnected and a new loop takes its place");
        if (server.isOpen()) {
            EventLoop fresh = new EventLoop(this, dead.name());
            fresh.inherit(dead);
            int at = loops.indexOf(dead);
            if (at >= 0) {
                loops.set(at, fresh);
            }
            fresh.start();
        }
    }

    long loopFailures() {
        return loopFailures.get();
    }

    String lastLoopFailure() {
        return lastLoopFailure;
    }

    long evicted() {
        return evicted.get();
    }

    /** Memory came free while connections waited for some: each loop lets its waiting connections read again. */
    private void wakeStarved() {
        for (EventLoop l : loops) {
            l.execute(l::retryStarved);
        }
    }

    /**
     * The budget stayed full while a connection waited for room longer than the patience allows:
     * the connection holding the most request bytes anywhere is closed (as the server's
     * maxmemory-clients evicts its biggest client), so the others go on.
     */
    private void evictIfStarving() {
        if (!budget.waiting()) {
            return;
        }
        long now = System.nanoTime();
        List<long[]> views = onLoops(l -> l.starvation(now));
        long oldest = 0;
        long most = 0;
        int at = -1;
        for (int i = 0; i < views.size(); i++) {
            oldest = Math.max(oldest, views.get(i)[0]);
            if (views.get(i)[1] > most) {
                most = views.get(i)[1];
                at = i;
            }
        }
        if (oldest > ProxyLimits.PATIENCE_NANOS && at >= 0) {
            EventLoop l = loops.get(at);
            l.execute(() -> {
                if (l.evictLargest(budget)) {
                    evicted.incrementAndGet();
                }
            });
        }
    }

    /** Loads the upstream's COMMAND table; returns false (and keeps the built-in one) when it cannot. */
    boolean loadCommands(Upstream from) {
        try (RespClient client = RespClient.open(from, Duration.ofSeconds(2))) {
            var flags = client.commandFlags();
            if (flags.isEmpty()) {
                return false;
            }
            table = CommandTable.fromFlags(flags, client.dialect(from, Duration.ofSeconds(2)));
            health.up(from);
            return true;
        } catch (IOException | CutoverException e) {
            health.down(from, e.getMessage());
            return false;
        }
    }

    private void sample() {
        try {
            if (!table.fromServer() || health.state() instanceof UpstreamState.Unreachable) {
                probe();
            }
            evictIfStarving();
            List<Object[]> samples = onLoops(l -> new Object[] {l.commands, l.latency.drain()});
            long commands = 0;
            LatencyHistogram second = new LatencyHistogram();
            for (Object[] s : samples) {
                commands += (Long) s[0];
                second.add((LatencyHistogram) s[1]);
            }
            synchronized (latencyWindow) {
                latencyWindow.addLast(second);
                commandWindow.addLast(commands - lastCommands);
                lastCommands = commands;
                while (latencyWindow.size() > WINDOW_SECONDS) {
                    latencyWindow.removeFirst();
                    commandWindow.removeFirst();
                }
                opsPerSecond = commandWindow.peekLast();
            }
        } catch (RuntimeException e) {
            // a sample is lost; the next one comes in a second
        }
    }

    private void probe() {
        Upstream current = upstream;
        loadCommands(current);
    }

    double opsPerSecond() {
        return opsPerSecond;
    }

    /** Latency the proxy added over the last ten seconds. */
    LatencyHistogram recentLatency() {
        LatencyHistogram all = new LatencyHistogram();
        synchronized (latencyWindow) {
            latencyWindow.forEach(all::add);
        }
        return all;
    }

    /** Runs {@code work} on every loop's thread and waits for all the answers. */
    <T> List<T> onLoops(Function<EventLoop, T> work) {
        List<CompletableFuture<T>> futures = new ArrayList<>();
        loops.forEach(l -> futures.add(l.call(() -> work.apply(l))));
        List<T> results = new ArrayList<>();
        for (CompletableFuture<T> f : futures) {
            try {
                results.add(f.get(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CutoverException.Interrupted("interrupted while waiting for the proxy's event loops");
            } catch (ExecutionException e) {
                throw CutoverException.failed("a proxy event loop failed to answer: " + e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                throw CutoverException.failed("a proxy event loop did not answer within 30 s");
            }
        }
        return results;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        timer.shutdownNow();
        loops.forEach(EventLoop::stop);
    }
}
