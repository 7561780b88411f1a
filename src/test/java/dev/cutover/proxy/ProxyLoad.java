package dev.cutover.proxy;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Application clients writing through the proxy, each on one Lettuce connection that never
 * reconnects (so a dropped connection shows up as an error), recording every acknowledged write.
 * Half speak RESP2, half RESP3.
 */
final class ProxyLoad implements AutoCloseable {
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<RedisClient> clients = new ArrayList<>();

    ProxyLoad(InetSocketAddress proxy, int writers) {
        for (int w = 0; w < writers; w++) {
            RedisClient client = RedisClient.create(RedisURI.builder().withHost(proxy.getHostString())
                    .withPort(proxy.getPort()).withTimeout(Duration.ofSeconds(60)).build());
            client.setOptions(ClientOptions.builder().autoReconnect(false)
                    .protocolVersion(w % 2 == 0 ? ProtocolVersion.RESP2 : ProtocolVersion.RESP3).build());
            clients.add(client);
            StatefulRedisConnection<String, String> connection = client.connect();
            int id = w;
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; running.get(); i++) {
                        String key = "load:" + id + ":" + i;
                        connection.sync().set(key, "v" + i);
                        acknowledged.put(key, "v" + i);
                        connection.sync().incr("load:counter:" + id);
                    }
                } catch (RuntimeException e) {
                    errors.add(e);
                }
            }, "proxy-load-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    Map<String, String> stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(60_000);
        }
        return Map.copyOf(acknowledged);
    }

    List<Throwable> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        clients.forEach(c -> c.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
    }
}
