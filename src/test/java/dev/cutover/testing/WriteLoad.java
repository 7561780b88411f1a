package dev.cutover.testing;

import dev.cutover.local.LocalServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Clients writing continuously into a server, each on its own connection, recording every
 * write the server acknowledged (key → value) so a test can prove none was lost. Bounded in
 * count: each writer stops after {@code maxWritesPerWriter} or when stopped.
 */
public final class WriteLoad implements AutoCloseable {
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());

    public WriteLoad(LocalServer server, int writers, int maxWritesPerWriter) {
        for (int w = 0; w < writers; w++) {
            int id = w;
            Thread t = new Thread(() -> {
                try (Redis redis = new Redis(server)) {
                    for (int i = 0; i < maxWritesPerWriter && running.get(); i++) {
                        String key = "load:" + id + ":" + i;
                        String value = "v" + i;
                        redis.sync().set(key, value);
                        acknowledged.put(key, value);
                        redis.sync().incr("load:counter:" + id);
                    }
                } catch (RuntimeException e) {
                    if (running.get()) {
                        errors.add(e);
                    }
                }
            }, "write-load-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Stops the writers and waits for them; returns every acknowledged write. */
    public Map<String, String> stop() {
        running.set(false);
        for (Thread t : threads) {
            try {
                t.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return Map.copyOf(acknowledged);
    }


    public List<Throwable> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() {
        stop();
    }
}
