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
    final List<EventLoop> loops = new ArrayList<>();
    final ScheduledExecutorService timer;
    /** A connection opened ahead of a switch and idle for longer is opened again when the switch comes. */
    final long preopenedMaxAgeNanos;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final Deque<LatencyHistogram> latencyWindow = new ArrayDeque<>();
    private final Deque<Long> commandWindow = new ArrayDeque<>();
    private volatile double opsPerSecond;
    private long lastCommands;

    ProxyEngine(InetSocketAddress listen, Upstream upstream, int loopCount, Duration preopenedMaxAge) {
        this.upstream = upstream;
        this.preopenedMaxAgeNanos = preopenedMaxAge.toNanos();
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
                EventLoop loop = loops.get(next++ % loops.size());
                loop.execute(() -> loop.adopt(channel));
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    /** Loads the upstream's COMMAND table; returns false (and keeps the built-in one) when it cannot. */
    boolean loadCommands(Upstream from) {
        try (RespClient client = RespClient.open(from, Duration.ofSeconds(2))) {
            var flags = client.commandFlags();
            if (flags.isEmpty()) {
                return false;
            }
            table = CommandTable.fromFlags(flags);
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
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("a proxy event loop did not answer", e);
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
