package dev.cutover.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.testing.Eventually;
import dev.cutover.testing.Servers;
import io.lettuce.core.GeoArgs;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Clients (Lettuce, redis-cli, redis-benchmark) see through the proxy exactly what they see direct. */
class ProxyForwardingIT {
    @RegisterExtension
    final Servers servers = new Servers();
    @RegisterExtension
    final ProxyClients open = new ProxyClients();

    /** Every other test here runs on whichever I/O the proxy chose: this one pins the choice (see {@link ExpectedIo}). */
    @Test
    void statusNamesTheIoItChose() {
        LocalServer server = servers.start(Flavour.VALKEY_9);
        ExpectedIo.check(open.proxy(server).status().io());
    }

    /**
     * Many connections pipelining binary values of sizes around every boundary of the proxy's
     * buffers and batches (16 KB read-ahead slots, 64 KB reads, 256 KB sends, 1 MB per batch): every
     * value comes back byte for byte, to the connection that asked.
     */
    @Test
    void manyConnectionsPipeliningValuesOfEverySizeGetTheirOwnBytesBack() throws Exception {
        LocalServer server = servers.start(Flavour.VALKEY_9);
        RedisClient client = open.client(open.proxy(server));
        int[] sizes = {0, 1, 100, 16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, 64 * 1024, 64 * 1024 + 7, 256 * 1024 - 3,
                256 * 1024, 256 * 1024 + 1, 1024 * 1024 + 5, 3 * 1024 * 1024};
        List<java.util.concurrent.CompletableFuture<Void>> workers = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            int id = c;
            workers.add(java.util.concurrent.CompletableFuture.runAsync(() -> {
                try (StatefulRedisConnection<byte[], byte[]> conn = client.connect(io.lettuce.core.codec.ByteArrayCodec.INSTANCE)) {
                    RedisAsyncCommands<byte[], byte[]> r = conn.async();
                    java.util.Random random = new java.util.Random(id);
                    for (int round = 0; round < 3; round++) {
                        List<byte[]> values = new ArrayList<>();
                        List<RedisFuture<?>> sets = new ArrayList<>();
                        for (int i = 0; i < 40; i++) {
                            byte[] v = new byte[random.nextBoolean() ? sizes[random.nextInt(sizes.length)] : random.nextInt(40_000)];
                            random.nextBytes(v);
                            values.add(v);
                            sets.add(r.set(("k:" + id + ":" + i).getBytes(), v));
                        }
                        assertTrue(LettuceFutures.awaitAll(Duration.ofSeconds(60), sets.toArray(new RedisFuture[0])));
                        List<RedisFuture<byte[]>> gets = new ArrayList<>();
                        for (int i = 0; i < values.size(); i++) {
                            gets.add(r.get(("k:" + id + ":" + i).getBytes()));
                        }
                        for (int i = 0; i < values.size(); i++) {
                            org.junit.jupiter.api.Assertions.assertArrayEquals(values.get(i), gets.get(i).get(60, TimeUnit.SECONDS),
                                    "connection " + id + ", value " + i + " of " + values.get(i).length + " bytes");
                        }
                    }
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }));
        }
        java.util.concurrent.CompletableFuture.allOf(workers.toArray(new java.util.concurrent.CompletableFuture[0]))
                .get(5, TimeUnit.MINUTES);
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void everyDataTypeRoundTrips(ProtocolVersion protocol) {
        LocalServer server = servers.start(Flavour.VALKEY_9);
        StatefulRedisConnection<String, String> c = open.client(open.proxy(server), protocol).connect();
        RedisCommands<String, String> r = c.sync();
        r.set("s", "v");
        assertEquals("v", r.get("s"));
        assertEquals(3L, r.incrby("n", 3));
        r.rpush("l", "a", "b", "c");
        assertEquals(List.of("a", "b", "c"), r.lrange("l", 0, -1));
        r.hset("h", Map.of("f1", "1", "f2", "2"));
        assertEquals(Map.of("f1", "1", "f2", "2"), r.hgetall("h"));
        r.sadd("set", "x", "y");
        assertEquals(2L, r.scard("set"));
        r.zadd("z", 1.5, "one");
        r.zadd("z", 2.5, "two");
        assertEquals(List.of("one", "two"), r.zrange("z", 0, -1));
        assertEquals(2.5, r.zscore("z", "two"));
        String id = r.xadd("st", Map.of("k", "v"));
        List<StreamMessage<String, String>> read = r.xread(XReadArgs.StreamOffset.from("st", "0"));
        assertEquals(id, read.get(0).getId());
        r.pfadd("hll", "a", "b", "c");
        assertEquals(3L, r.pfcount("hll"));
        r.geoadd("geo", 13.361389, 38.115556, "Palermo");
        assertEquals(1, r.geosearch("geo", io.lettuce.core.GeoSearch.fromMember("Palermo"),
                io.lettuce.core.GeoSearch.byRadius(10, GeoArgs.Unit.km)).size());
        r.setbit("bits", 7, 1);
        assertEquals(1L, r.bitcount("bits"));
        assertEquals(Long.valueOf(2), r.zcount("z", Range.create(0, 10)));
        assertNull(r.get("missing"));
        String big = "x".repeat(5 * 1024 * 1024 + 3);
        r.set("big", big);
        assertEquals(big, r.get("big"));
        assertEquals(big.length(), r.strlen("big"));
    }

    @Test
    void pipelinedCommandsAllComeBackInOrder() {
        LocalServer server = servers.start(Flavour.VALKEY_9);
        StatefulRedisConnection<String, String> c = open.client(open.proxy(server), ProtocolVersion.RESP2).connect();
        c.setAutoFlushCommands(false);
        RedisAsyncCommands<String, String> a = c.async();
        List<RedisFuture<?>> futures = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            futures.add(a.set("p" + i, "v" + i));
            futures.add(a.get("p" + i));
        }
        c.flushCommands();
        assertTrue(LettuceFutures.awaitAll(Duration.ofSeconds(60), futures.toArray(new RedisFuture[0])));
        for (int i = 0; i < 20_000; i++) {
            assertEquals("v" + i, futures.get(2 * i + 1).toCompletableFuture().join());
        }
        c.setAutoFlushCommands(true);
    }

    @Test
    void transactionsAndWatchBehaveAsDirect() {
        LocalServer server = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = open.proxy(server);
        RedisCommands<String, String> r = open.client(proxy, ProtocolVersion.RESP2).connect().sync();
        RedisCommands<String, String> other = open.client(proxy, ProtocolVersion.RESP2).connect().sync();
        r.multi();
        r.set("t1", "a");
        r.incr("t2");
        TransactionResult ok = r.exec();
        assertEquals(2, ok.size());
        assertEquals("a", other.get("t1"));
        r.watch("t1");
        other.set("t1", "changed");
        r.multi();
        r.set("t1", "mine");
        assertTrue(r.exec().wasDiscarded(), "a WATCHed key changed: EXEC aborts");
        assertEquals("changed", r.get("t1"));
    }

    @Test
    void subscribersGetMessagesAndRespThreeHelloAndSelectWork() throws Exception {
        LocalServer server = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = open.proxy(server);
        RedisClient client = open.client(proxy, ProtocolVersion.RESP3);
        StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        sub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                got.add(channel + ":" + message);
            }

            @Override
            public void message(String pattern, String channel, String message) {
                got.add(pattern + ">" + channel + ":" + message);
            }
        });
        sub.sync().subscribe("news");
        sub.sync().psubscribe("ev.*");
        RedisCommands<String, String> pub = client.connect().sync();
        pub.publish("news", "hello");
        pub.publish("ev.1", "world");
        assertEquals("news:hello", got.poll(60, TimeUnit.SECONDS));
        assertEquals("ev.*>ev.1:world", got.poll(60, TimeUnit.SECONDS));

        pub.select(3);
        pub.set("in3", "yes");
        try (RawResp direct = new RawResp(new InetSocketAddress(server.host(), server.port()))) {
            direct.call("SELECT", "3");
            assertEquals("yes", direct.call("GET", "in3"));
        }
        try (RawResp raw = new RawResp(proxy.address())) {
            Object hello = raw.call("HELLO", "3");
            assertTrue(hello instanceof List<?> l && l.contains("proto") && l.contains(3L), String.valueOf(hello));
            assertNull(raw.call("GET", "nothing"), "RESP3 null");
        }
    }

    @Test
    void redisCliAndRedisBenchmarkRunThroughTheProxy() throws Exception {
        LocalServer server = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = open.proxy(server);
        String port = String.valueOf(proxy.address().getPort());
        Process cli = new ProcessBuilder("redis-cli", "-p", port).redirectErrorStream(true).start();
        cli.getOutputStream().write("SET a 1\nINCR a\nGET a\nLPUSH q x y\nLRANGE q 0 -1\n".getBytes());
        cli.getOutputStream().close();
        String out = new String(cli.getInputStream().readAllBytes());
        assertEquals(0, cli.waitFor());
        assertEquals("OK\n2\n2\n2\ny\nx\n", out);
        for (String pipeline : List.of("1", "16")) {
            Process bench = new ProcessBuilder("redis-benchmark", "-p", port, "-t", "set,get,lpush,lpop,incr", "-n", "20000",
                    "-c", "50", "-P", pipeline, "-q").redirectErrorStream(true).start();
            String result = new String(bench.getInputStream().readAllBytes());
            assertEquals(0, bench.waitFor(), result);
            assertTrue(result.contains("GET:") && !result.toLowerCase().contains("error"), result);
        }
        try (RawResp direct = new RawResp(new InetSocketAddress(server.host(), server.port()))) {
            Eventually.await(() -> {
                try {
                    return direct.call("GET", "a").equals("2");
                } catch (java.io.IOException e) {
                    return false;
                }
            }, "redis-cli's writes reached the server");
        }
    }
}
