package dev.cutover.demo;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Application clients (the demo's, and the tests'): that read their server's URI from a config file (which the
 * repoint hook rewrites), write continuously and remember every acknowledged write, so the demo
 * can prove none was lost. A failed write (READONLY while the target is still a replica) is
 * retried on whatever address the config then names.
 */
public final class AppClients implements AutoCloseable {
    private final Path config;
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong longestWaitNanos = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final long maxWrites;

    /** Starts {@code clients} writers; each stops after {@code maxWrites} acknowledged writes or at {@link #stop}. */
    public AppClients(Path config, int clients, long maxWrites) {
        this.maxWrites = maxWrites;
        this.config = config;
        for (int c = 0; c < clients; c++) {
            int id = c;
            Thread t = new Thread(() -> run(id), "app-client-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void run(int id) {
        String address = null;
        RedisClient client = null;
        StatefulRedisConnection<String, String> connection = null;
        long n = 0;
        try {
            while (running.get() && n < maxWrites) {
                String current = Files.readString(config).strip();
                if (!current.equals(address)) {
                    if (client != null) {
                        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
                    }
                    RedisURI uri = RedisURI.create(current);
                    uri.setTimeout(Duration.ofSeconds(90));
                    client = RedisClient.create(uri);
                    connection = client.connect(StringCodec.UTF8);
                    address = current;
                }
                String key = "app:" + id + ":" + n;
                long t0 = System.nanoTime();
                try {
                    connection.sync().set(key, "v" + n);
                    acknowledged.put(key, "v" + n);
                    n++;
                    longestWaitNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                } catch (RuntimeException e) {
                    retried.incrementAndGet();
                    Thread.sleep(20);
                }
            }
        } catch (IOException | InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (client != null) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
        }
    }

    public long acknowledgedCount() {
        return acknowledged.size();
    }

    public long retried() {
        return retried.get();
    }

    public Duration longestWait() {
        return Duration.ofNanos(longestWaitNanos.get());
    }

    /** Stops the writers, waits for them and returns every acknowledged write (key → value). */
    public Map<String, String> stop() {
        running.set(false);
        for (Thread t : threads) {
            try {
                t.join(120_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return Map.copyOf(acknowledged);
    }

    @Override
    public void close() {
        stop();
    }
}
