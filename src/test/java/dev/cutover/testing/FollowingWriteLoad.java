package dev.cutover.testing;

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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Application clients that read their server's URI from a config file (as a repoint hook would
 * rewrite it), write continuously, and count a write only when the server acknowledged it. A
 * failed write (READONLY from a demoted source, a timeout) is retried on the current address.
 */
public final class FollowingWriteLoad implements AutoCloseable {
    private final Path config;
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger retries = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();

    public FollowingWriteLoad(Path config, int writers, int maxWritesPerWriter) {
        this.config = config;
        for (int w = 0; w < writers; w++) {
            int id = w;
            Thread t = new Thread(() -> write(id, maxWritesPerWriter), "following-writer-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    private void write(int id, int max) {
        String address = null;
        RedisClient client = null;
        StatefulRedisConnection<String, String> connection = null;
        try {
            for (int i = 0; i < max && running.get(); ) {
                String current = read();
                if (!current.equals(address)) {
                    if (client != null) {
                        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
                    }
                    RedisURI uri = RedisURI.create(current);
                    uri.setTimeout(Duration.ofSeconds(60));
                    client = RedisClient.create(uri);
                    connection = client.connect(StringCodec.UTF8);
                    address = current;
                }
                String key = "app:" + id + ":" + i;
                try {
                    connection.sync().set(key, "v" + i);
                    acknowledged.put(key, "v" + i);
                    i++;
                } catch (RuntimeException e) {
                    retries.incrementAndGet();
                    sleep(20);
                }
            }
        } finally {
            if (client != null) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
        }
    }

    private String read() {
        try {
            return Files.readString(config).strip();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public int acknowledgedSoFar() {
        return acknowledged.size();
    }

    public int retries() {
        return retries.get();
    }

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

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
