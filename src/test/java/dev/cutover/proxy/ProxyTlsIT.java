package dev.cutover.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.CutoverException;
import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.local.ServerSpec;
import dev.cutover.testing.Eventually;
import dev.cutover.testing.Redis;
import dev.cutover.testing.Servers;
import dev.cutover.testing.TestCerts;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** TLS between the proxy and its upstream (clients still speak plain TCP to the proxy). */
class ProxyTlsIT {
    @RegisterExtension
    final Servers servers = new Servers();
    @RegisterExtension
    final ProxyClients open = new ProxyClients();

    @TempDir
    Path dir;
    private ServerSpec.Tls certs(String name) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
        return TestCerts.generate(d);
    }

    @ParameterizedTest
    @EnumSource(value = ProtocolVersion.class, names = {"RESP2", "RESP3"})
    void everyDataTypeAndABigValueGoThroughATlsUpstream(ProtocolVersion protocol) throws Exception {
        ServerSpec.Tls tls = certs("ca");
        LocalServer server = servers.start(ServerSpec.of(Flavour.VALKEY_9).withTls(tls));
        assertTrue(server.uri().startsWith("rediss://"), server.uri());
        ProxyServer proxy = open.proxy(ProxyOptions.of("127.0.0.1:0", server.uri())
                .withUpstreamTrust(UpstreamTrust.caFile(tls.ca())));
        assertEquals(List.of(), proxy.warnings());
        RedisClient client = open.client(proxy, protocol);
        RedisCommands<String, String> r = client.connect().sync();
        r.set("s", "v");
        assertEquals("v", r.get("s"));
        assertEquals(3L, r.incrby("n", 3));
        r.rpush("l", "a", "b", "c");
        assertEquals(List.of("a", "b", "c"), r.lrange("l", 0, -1));
        r.hset("h", Map.of("f1", "1", "f2", "2"));
        assertEquals(Map.of("f1", "1", "f2", "2"), r.hgetall("h"));
        r.sadd("set", "x", "y");
        assertEquals(2L, r.scard("set"));
        r.zadd("z", 1.0, "one");
        r.zadd("z", 2.0, "two");
        assertEquals(List.of("one", "two"), r.zrange("z", 0, -1));
        String id = r.xadd("st", Map.of("k", "v"));
        List<StreamMessage<String, String>> read = r.xread(XReadArgs.StreamOffset.from("st", "0"));
        assertEquals(id, read.getFirst().getId());
        assertEquals(1L, r.xrange("st", Range.create("-", "+")).size());
        r.pfadd("hll", "a", "b", "c");
        assertEquals(3L, r.pfcount("hll"));
        r.setbit("bits", 7, 1);
        assertEquals(1L, r.bitcount("bits"));
        assertEquals("PONG", r.ping());

        byte[] big = new byte[5 * 1024 * 1024];
        new Random(7).nextBytes(big);
        StatefulRedisConnection<byte[], byte[]> binary = client.connect(ByteArrayCodec.INSTANCE);
        binary.sync().set("big".getBytes(), big);
        assertArrayEquals(big, binary.sync().get("big".getBytes()), "5 MB in and out through TLS");
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(big, binary.sync().get("big".getBytes()));
        }
        try (Redis direct = new Redis(server)) {
            assertEquals(big.length, direct.sync().strlen("big"));
            assertEquals("v", direct.sync().get("s"));
        }
    }

    @Test
    void switchFromAPlainSourceToATlsTargetUnderLoadLosesNothing() throws Exception {
        ServerSpec.Tls tls = certs("ca");
        LocalServer source = servers.start(Flavour.VALKEY_9);
        LocalServer target = servers.start(ServerSpec.of(Flavour.VALKEY_9).withTls(tls));
        Path socket = dir.resolve("proxy.sock");
        ProxyServer proxy = open.proxy(ProxyOptions.of("127.0.0.1:0", source.uri())
                .withControl(ControlEndpoint.parse("unix:" + socket, null)));
        try (Redis src = new Redis(source); Redis tgt = new Redis(target);
             ProxyLoad load = new ProxyLoad(proxy.address(), 6);
             ProxyControl control = ProxyControl.connect(proxy.controlAddress().orElseThrow(), Optional.empty(), Optional.empty())) {
            tgt.sync().configSet("tls-replication", "no"); // the source speaks plain TCP to its replica
            tgt.sync().replicaof(source.host(), source.port());
            Eventually.await(() -> tgt.info("replication").contains("master_link_status:up"), "the replica syncs");
            while (load.acknowledgedCount() < 3_000) {
                Thread.sleep(20);
            }
            control.hold(Duration.ofSeconds(60));
            long frozen = offset(src);
            Eventually.await(() -> offset(tgt) == frozen, "the replica catches up with the held source");
            tgt.sync().replicaofNoOne();
            long connectionsBefore = tgt.infoNumber("stats", "total_connections_received");
            SwitchResult switched = control.switchTo(target.uri(), Optional.empty(), UpstreamTrust.caFile(tls.ca()));
            int ackedAtSwitch = load.acknowledgedCount();
            assertEquals(6, switched.clients(), switched.toString());
            assertEquals(6, switched.preopened(), "each client's TLS connection to the target was open before the pause");
            long opened = tgt.infoNumber("stats", "total_connections_received") - connectionsBefore;
            assertTrue(opened >= 6 && opened <= 6 + 3, "the switch took the connections it opened ahead over (6, plus its"
                    + " probe, its COMMAND load and, on Valkey 9, a second framing probe), it did not open others: " + opened);
            assertEquals(0, switched.replayErrors(), switched.toString());
            assertTrue(control.status().upstream().startsWith("rediss://"), control.status().upstream());
            while (load.acknowledgedCount() < ackedAtSwitch + 3_000) {
                Thread.sleep(20);
            }
            Map<String, String> acknowledged = load.stop();
            assertEquals(List.of(), load.errors(), "clients saw errors");
            acknowledged.forEach((k, v) -> assertEquals(v, tgt.sync().get(k), "acknowledged write lost: " + k));
            assertEquals(frozen, offset(src), "a write executed on the source after the hold");
            assertEquals(6, proxy.status().clients(), "no client reconnected or went away");
        }
    }

    @Test
    void aTargetSignedByAnotherCaIsRefusedInOneLineAndTheProxyGoesOn() throws Exception {
        ServerSpec.Tls tls = certs("ca");
        ServerSpec.Tls other = certs("other-ca");
        LocalServer source = servers.start(Flavour.VALKEY_9);
        LocalServer target = servers.start(ServerSpec.of(Flavour.VALKEY_9).withTls(tls));
        ProxyServer proxy = open.proxy(ProxyOptions.of("127.0.0.1:0", source.uri()));
        RedisCommands<String, String> app = open.client(proxy, ProtocolVersion.RESP2).connect().sync();
        app.set("before", "1");

        CutoverException wrongCa = assertThrows(CutoverException.Connection.class,
                () -> proxy.switchTo(target.uri(), Optional.empty(), UpstreamTrust.caFile(other.ca())));
        assertFalse(wrongCa.getMessage().contains("\n"), wrongCa.getMessage());
        assertTrue(wrongCa.getMessage().contains(target.host() + ":" + target.port()), wrongCa.getMessage());
        assertTrue(wrongCa.getMessage().contains("TLS"), wrongCa.getMessage());
        CutoverException jdkCas = assertThrows(CutoverException.Connection.class,
                () -> proxy.switchTo(target.uri(), Optional.empty()));
        assertFalse(jdkCas.getMessage().contains("\n"), jdkCas.getMessage());

        assertEquals("1", app.get("before"), "the proxy still forwards to the source");
        app.set("after", "2");
        assertTrue(proxy.status().upstream().endsWith(":" + source.port()));
        assertTrue(proxy.status().hold() instanceof HoldState.Open, "a refused switch holds nothing");
        try (Redis src = new Redis(source)) {
            assertEquals("2", src.sync().get("after"));
        }
        proxy.switchTo(target.uri(), Optional.empty(), UpstreamTrust.insecureTrust());
        app.set("on-the-target", "3");
        try (Redis tgt = new Redis(target)) {
            assertEquals("3", tgt.sync().get("on-the-target"), "--upstream-insecure accepts the certificate");
        }
    }

    @Test
    void aProxyStartedOnATlsUpstreamItCannotTrustTellsClientsWhy() throws Exception {
        ServerSpec.Tls tls = certs("ca");
        ServerSpec.Tls other = certs("other-ca");
        LocalServer server = servers.start(ServerSpec.of(Flavour.VALKEY_9).withTls(tls));
        ProxyServer proxy = open.proxy(ProxyOptions.of("127.0.0.1:0", server.uri())
                .withUpstreamTrust(UpstreamTrust.caFile(other.ca())));
        assertEquals(1, proxy.warnings().size(), proxy.warnings().toString());
        try (RawResp app = new RawResp(proxy.address())) {
            String error = (String) app.call("PING");
            assertTrue(error.startsWith("-ERR cutover proxy: upstream " + server.host() + ":" + server.port()
                    + " unreachable (TLS: "), error);
            assertTrue(error.contains("PKIX"), error);
            assertEquals(1, proxy.status().clients(), "the client stays connected");
        }
    }

    @Test
    void aBlockedPopOnATlsSourceEndsAndRetriesOnATlsTarget() throws Exception {
        ServerSpec.Tls tls = certs("ca");
        LocalServer source = servers.start(ServerSpec.of(Flavour.VALKEY_9).withTls(tls));
        LocalServer target = servers.start(ServerSpec.of(Flavour.VALKEY_9).withTls(tls));
        ProxyServer proxy = open.proxy(ProxyOptions.of("127.0.0.1:0", source.uri())
                .withUpstreamTrust(UpstreamTrust.caFile(tls.ca())));
        RedisCommands<String, String> popper = open.client(proxy, ProtocolVersion.RESP3).connect().sync();
        java.util.concurrent.CompletableFuture<List<String>> pops = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            List<String> seen = new ArrayList<>();
            while (true) {
                io.lettuce.core.KeyValue<String, String> v = popper.blpop(0, "jobs");
                if (v == null) {
                    seen.add("timeout");
                } else {
                    seen.add(v.getValue());
                    return seen;
                }
            }
        });
        try (Redis src = new Redis(source); Redis tgt = new Redis(target)) {
            Eventually.await(() -> src.info("clients").contains("blocked_clients:1"), "the BLPOP is blocked on the source");
            HoldResult hold = proxy.hold(Duration.ofSeconds(30));
            assertEquals(1, hold.unblocked(), "CLIENT LIST and CLIENT UNBLOCK over TLS: " + hold);
            SwitchResult switched = proxy.switchTo(target.uri(), Optional.empty()); // the options' CA serves the target too
            assertEquals(0, switched.replayErrors(), switched.toString());
            Eventually.await(() -> tgt.info("clients").contains("blocked_clients:1"), "the retry blocks on the target");
            tgt.sync().rpush("jobs", "on-the-target");
            assertEquals(List.of("timeout", "on-the-target"), pops.get(60, java.util.concurrent.TimeUnit.SECONDS));
        }
    }

    private static long offset(Redis r) {
        return r.infoNumber("replication", "master_repl_offset");
    }
}
