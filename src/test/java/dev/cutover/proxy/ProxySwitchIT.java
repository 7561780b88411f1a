package dev.cutover.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.testing.Eventually;
import dev.cutover.testing.Redis;
import dev.cutover.testing.Servers;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** hold, release and switch on real servers, with real clients that must not notice. */
class ProxySwitchIT {
    @RegisterExtension
    final Servers servers = new Servers();
    @RegisterExtension
    final ProxyClients open = new ProxyClients();

    private static long offset(Redis r) {
        return r.infoNumber("replication", "master_repl_offset");
    }

    @Test
    void aPreparedSwitchTakesOverTheConnectionsOpenedAheadAndAReleaseClosesThem() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_9);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = open.proxy(source);
        List<StatefulRedisConnection<String, String>> clients = clients(proxy, 5);
        try (Redis tgt = new Redis(target)) {
            assertEquals(5, proxy.prepare(target.uri(), UpstreamTrust.defaults()));
            Eventually.await(() -> tgt.infoNumber("clients", "connected_clients") == 5 + 1, "5 opened ahead (and this test's own)");
            assertEquals("OK", clients.get(0).sync().set("k", "on-the-source"), "requests flow meanwhile");
            proxy.release();
            Eventually.await(() -> tgt.infoNumber("clients", "connected_clients") == 1, "a release closes them: nothing moves");

            long received = tgt.infoNumber("stats", "total_connections_received");
            assertEquals(5, proxy.prepare(target.uri(), UpstreamTrust.defaults()));
            proxy.hold(Duration.ofSeconds(10));
            SwitchResult moved = proxy.switchTo(target.uri(), Optional.empty(), UpstreamTrust.defaults());
            assertEquals(5, moved.preopened(), moved.toString());
            for (StatefulRedisConnection<String, String> c : clients) {
                assertEquals("OK", c.sync().set("after", "1"));
            }
            long opened = tgt.infoNumber("stats", "total_connections_received") - received;
            assertTrue(opened >= 5 && opened <= 5 + 3, "taken over, not opened again (5, plus the switch's probe,"
                    + " its COMMAND load and, on Valkey 9, a second framing probe): " + opened);
            assertEquals("1", tgt.sync().get("after"));
        }
    }

    @Test
    void connectionsOpenedAheadAndIdleTooLongAreOpenedAgainBeforeThePause() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_9);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = open.proxy(ProxyOptions.of("127.0.0.1:0", source.uri())
                .withPreopenedMaxAge(Duration.ofMillis(300)));
        List<StatefulRedisConnection<String, String>> clients = clients(proxy, 4);
        try (Redis tgt = new Redis(target)) {
            assertEquals(4, proxy.prepare(target.uri(), UpstreamTrust.defaults()));
            String firstOpened = tgt.sync().clientList();
            Thread.sleep(600); // older than the proxy allows: a silent network path may have dropped them
            long received = tgt.infoNumber("stats", "total_connections_received");
            proxy.hold(Duration.ofSeconds(10));
            SwitchResult moved = proxy.switchTo(target.uri(), Optional.empty(), UpstreamTrust.defaults());
            assertEquals(4, moved.preopened(), "opened again, before the pause: " + moved);
            for (StatefulRedisConnection<String, String> c : clients) {
                assertEquals("OK", c.sync().set("after", "1"));
            }
            long opened = tgt.infoNumber("stats", "total_connections_received") - received;
            assertTrue(opened >= 4, "4 fresh connections (plus the switch's probe and COMMAND load): " + opened);
            List<String> stale = firstOpened.lines().filter(l -> !l.contains("cmd=client")).map(l -> l.split(" ")[0]).toList();
            Eventually.await(() -> tgt.sync().clientList().lines().noneMatch(l -> stale.contains(l.split(" ")[0])),
                    "the stale ones are closed");
            assertEquals("1", tgt.sync().get("after"));
        }
    }

    @Test
    void moreClientsThanAreOpenedAheadAtOnceAllGetTheirConnection() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_9);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = open.proxy(source);
        int n = 3 * EventLoop.MAX_PREOPENING; // more than the loops together open at once
        List<RawResp> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clients.add(open.closeAfter(new RawResp(proxy.address())));
            assertEquals("PONG", clients.get(i).call("PING"));
        }
        try (Redis tgt = new Redis(target)) {
            assertEquals(n, proxy.prepare(target.uri(), UpstreamTrust.defaults()));
            // Open for the proxy once TCP is up; the server counts each when its loop has accepted it.
            Eventually.await(() -> tgt.infoNumber("clients", "connected_clients") == n + 1, "every connection opened ahead");
            proxy.hold(Duration.ofSeconds(10));
            SwitchResult moved = proxy.switchTo(target.uri(), Optional.empty(), UpstreamTrust.defaults());
            assertEquals(n, moved.preopened(), moved.toString());
            for (RawResp c : clients) {
                assertEquals("PONG", c.call("PING"));
            }
        }
    }

    @Test
    void connectionsOpenedAheadThatTheTargetClosedAreNotTakenOver() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_9);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = open.proxy(source);
        List<StatefulRedisConnection<String, String>> clients = clients(proxy, 3);
        try (Redis tgt = new Redis(target);
             RawResp admin = new RawResp(new java.net.InetSocketAddress("127.0.0.1", target.port()))) {
            assertEquals(3, proxy.prepare(target.uri(), UpstreamTrust.defaults()));
            // An idle timeout or a restart on the target while writes are held: it closes them.
            assertEquals(3L + 1, admin.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"));
            Eventually.await(() -> tgt.infoNumber("clients", "connected_clients") == 2, "the target closed them (this test has 2 of its own)");
            proxy.hold(Duration.ofSeconds(10));
            SwitchResult moved = proxy.switchTo(target.uri(), Optional.empty(), UpstreamTrust.defaults());
            assertEquals(3, moved.preopened(), "the closed ones were noticed and opened again: " + moved);
            for (StatefulRedisConnection<String, String> c : clients) {
                assertEquals("OK", c.sync().set("after", "1"), "no client gets an error from a dead connection");
            }
            assertEquals("1", tgt.sync().get("after"));
        }
    }

    /** {@code n} clients of {@code proxy}, each with its upstream connection open. */
    private List<StatefulRedisConnection<String, String>> clients(ProxyServer proxy, int n) {
        List<StatefulRedisConnection<String, String>> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clients.add(open.client(proxy).connect());
            assertEquals("PONG", clients.get(i).sync().ping());
        }
        return clients;
    }

    @Test
    void anInterruptedSwitchEndsItsPauseSoReadsFlowWhileWritesStayHeld() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_9);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = open.proxy(source);
        try (Redis src = new Redis(source)) {
            src.sync().set("big", "v".repeat(40 << 20));
            src.sync().set("k", "v");
        }
        RedisCommands<String, String> reader = clients(proxy, 1).get(0).sync();
        // A client that asked for 40 MB and does not read: the proxy reads on for it up to 32 MB while the
        // switch waits, then the rest of the reply stays in flight, so the switch's drain waits.
        try (java.net.Socket stalled = new java.net.Socket()) {
            stalled.setReceiveBufferSize(64 * 1024);
            stalled.connect(proxy.address(), 5000);
            stalled.getOutputStream().write("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            proxy.hold(Duration.ofSeconds(60));
            CompletableFuture<Throwable> failed = new CompletableFuture<>();
            Thread switching = new Thread(() -> {
                try {
                    proxy.switchTo(target.uri(), Optional.empty(), UpstreamTrust.defaults());
                    failed.complete(null);
                } catch (RuntimeException e) {
                    failed.complete(e);
                }
            });
            switching.start();
            Thread.sleep(500); // the switch is waiting for the stalled reply
            switching.interrupt();
            Throwable e = failed.get(30, TimeUnit.SECONDS);
            assertTrue(e instanceof dev.cutover.CutoverException.Interrupted, String.valueOf(e));

            RedisFuture<String> read = reader.getStatefulConnection().async().get("k");
            assertEquals("v", read.get(10, TimeUnit.SECONDS), "reads flow again (the hold lasts 60 s)");
            assertTrue(proxy.status().hold() instanceof HoldState.Holding, "writes stay held");
            RedisFuture<String> write = reader.getStatefulConnection().async().set("k", "w");
            Thread.sleep(200);
            assertFalse(write.isDone(), "a write waits for the release");
            proxy.release();
            assertEquals("OK", write.get(10, TimeUnit.SECONDS));
        }
        try (Redis src = new Redis(source)) {
            assertEquals("w", src.sync().get("k"), "nothing moved: the write went to the source");
        }
    }

    @Test
    void anIdleConnectionMovesToo() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_8);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = open.proxy(source);
        StatefulRedisConnection<String, String> idle = open.client(proxy).connect();
        assertEquals("OK", idle.sync().set("before", "1"));
        proxy.hold(Duration.ofSeconds(10));
        SwitchResult moved = proxy.switchTo(target.uri(), java.util.Optional.empty());
        assertEquals(1, moved.clients());
        assertEquals(1, moved.preopened(), "its connection to the target was opened before the pause");
        Thread.sleep(2_000); // idle across and after the switch
        assertEquals("OK", idle.sync().set("after", "1"));
        try (Redis tgt = new Redis(target)) {
            assertEquals("1", tgt.sync().get("after"));
        }
    }

    @Test
    void holdStopsWritesNotReadsAndReleaseSendsThemInOrder() throws Exception {
        LocalServer server = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = open.proxy(server);
        StatefulRedisConnection<String, String> writer = open.client(proxy).connect();
        RedisCommands<String, String> reader = open.client(proxy).connect().sync();
        writer.sync().ping();
        HoldResult hold = proxy.hold(Duration.ofSeconds(60));
        assertEquals(0, hold.inflightWrites());
        RedisFuture<String> set = writer.async().set("k", "1");
        RedisFuture<String> getAfter = writer.async().get("k");
        assertNull(reader.get("k"), "reads on other connections flow while writes are held");
        Eventually.await(() -> proxy.status().heldCommands() == 2, "the proxy holds the write and what follows it");
        assertTrue(proxy.status().hold() instanceof HoldState.Holding);
        try (Redis direct = new Redis(server)) {
            assertNull(direct.sync().get("k"), "the held write has not reached the server");
        }
        assertFalse(set.isDone());
        ReleaseResult released = proxy.release();
        assertEquals("OK", set.get(60, TimeUnit.SECONDS));
        assertEquals("1", getAfter.get(60, TimeUnit.SECONDS), "requests after a held write keep their order");
        assertEquals(2, released.released());
        assertEquals(1, released.pause().clients());
        assertTrue(proxy.status().hold() instanceof HoldState.Open);
    }

    @Test
    void aHoldEndsByItselfAtItsMaximum() throws Exception {
        LocalServer server = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = open.proxy(server);
        StatefulRedisConnection<String, String> writer = open.client(proxy).connect();
        proxy.hold(Duration.ofMillis(300));
        assertEquals("OK", writer.async().set("k", "1").get(60, TimeUnit.SECONDS));
        assertTrue(proxy.status().hold() instanceof HoldState.Open);
    }

    @Test
    void aHoldEndsBlockingWritesInFlightWithATimeoutReply() throws Exception {
        LocalServer server = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = open.proxy(server);
        StatefulRedisConnection<String, String> blocked = open.client(proxy).connect();
        RedisFuture<KeyValue<String, String>> pop = blocked.async().blpop(0, "jobs");
        try (Redis direct = new Redis(server)) {
            Eventually.await(() -> direct.info("clients").contains("blocked_clients:1"), "BLPOP is blocked upstream");
        }
        HoldResult hold = proxy.hold(Duration.ofSeconds(60));
        assertEquals(1, hold.unblocked());
        assertNull(pop.get(60, TimeUnit.SECONDS), "the client sees an ordinary BLPOP timeout");
        RedisFuture<KeyValue<String, String>> again = blocked.async().blpop(0, "jobs");
        RedisFuture<Long> push = open.client(proxy).connect().async().rpush("jobs", "j1"); // held too
        Eventually.await(() -> proxy.status().heldCommands() == 2, "the new BLPOP and the RPUSH are held");
        assertTrue(proxy.release().wasHolding());
        assertEquals(1L, push.get(60, TimeUnit.SECONDS));
        assertEquals("j1", again.get(60, TimeUnit.SECONDS).getValue());
    }

    @Test
    void switchToAPromotedReplicaUnderLoadLosesNoWriteAndNoClientSeesAnError() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_8);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = open.proxy(source);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target);
             ProxyLoad load = new ProxyLoad(proxy.address(), 6)) {
            RedisClient pubsubClient = open.client(proxy);
            StatefulRedisPubSubConnection<String, String> sub = pubsubClient.connectPubSub();
            BlockingQueue<String> messages = new LinkedBlockingQueue<>();
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    messages.add(message);
                }
            });
            sub.sync().subscribe("events");
            StatefulRedisConnection<String, String> popper = open.client(proxy).connect();
            CompletableFuture<List<String>> pops = CompletableFuture.supplyAsync(() -> {
                List<String> seen = new ArrayList<>();
                while (true) {
                    KeyValue<String, String> v = popper.sync().blpop(0, "jobs");
                    if (v == null) {
                        seen.add("timeout");
                    } else {
                        seen.add(v.getValue());
                        return seen;
                    }
                }
            });
            RedisCommands<String, String> app = open.client(proxy).connect().sync();
            tgt.sync().replicaof(source.host(), source.port());
            Eventually.await(() -> tgt.info("replication").contains("master_link_status:up"), "the replica syncs");
            while (load.acknowledgedCount() < 3_000) {
                Thread.sleep(20);
            }
            Eventually.await(() -> src.info("clients").contains("blocked_clients:1"), "the BLPOP is blocked on the source");

            HoldResult hold = proxy.hold(Duration.ofSeconds(60));
            long frozen = offset(src);
            Eventually.await(() -> offset(tgt) == frozen, "the replica catches up with the held source");
            tgt.sync().replicaofNoOne();
            SwitchResult switched = proxy.switchTo(target.uri(), Optional.empty());
            int ackedAtSwitch = load.acknowledgedCount();

            assertEquals(target.port(), Integer.parseInt(switched.to().substring(switched.to().lastIndexOf(':') + 1)));
            assertEquals(9, switched.clients(), switched.toString());
            assertEquals(switched.held(), switched.released(), switched.toString());
            assertEquals(0, switched.replayErrors(), switched.toString());
            assertTrue(switched.pause().clients() >= 6, "every writer was held: " + switched);
            assertTrue(hold.inflightWrites() >= 0);

            app.rpush("jobs", "after-the-switch");
            assertEquals(List.of("timeout", "after-the-switch"), pops.get(60, TimeUnit.SECONDS),
                    "the blocked pop timed out on the source and its retry got the target's job");
            app.publish("events", "published-on-the-target");
            assertEquals("published-on-the-target", messages.poll(60, TimeUnit.SECONDS));
            while (load.acknowledgedCount() < ackedAtSwitch + 3_000) {
                Thread.sleep(20);
            }
            Map<String, String> acknowledged = load.stop();
            assertEquals(List.of(), load.errors(), "clients saw errors");
            acknowledged.forEach((k, v) -> assertEquals(v, tgt.sync().get(k), "acknowledged write lost: " + k));
            assertEquals(frozen, offset(src), "a write executed on the source after the hold");
            assertEquals(9, proxy.status().clients(), "no client reconnected or went away");
            assertEquals(target.uri().replace("redis://", ""), proxy.status().upstream().replace("redis://", ""));
        }
    }

    @Test
    void everyMessagePublishedAcrossTheSwitchReachesEverySubscriberOnceAndInOrder() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_7);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = open.proxy(source);
        List<BlockingQueue<String>> received = new ArrayList<>();
        for (ProtocolVersion protocol : List.of(ProtocolVersion.RESP2, ProtocolVersion.RESP3)) {
            StatefulRedisPubSubConnection<String, String> sub = open.client(proxy, protocol, null, null).connectPubSub();
            BlockingQueue<String> messages = new LinkedBlockingQueue<>();
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    messages.add(message);
                }
            });
            sub.sync().subscribe("ticks");
            received.add(messages);
        }
        RedisCommands<String, String> publisher = open.client(proxy).connect().sync();
        List<Long> receivers = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean(true);
        CompletableFuture<Void> publishes = CompletableFuture.runAsync(() -> {
            for (int i = 0; publishing.get(); i++) {
                receivers.add(publisher.publish("ticks", Integer.toString(i)));
            }
        });
        try (Redis src = new Redis(source); Redis tgt = new Redis(target)) {
            tgt.sync().replicaof(source.host(), source.port());
            Eventually.await(() -> tgt.info("replication").contains("master_link_status:up"), "the replica syncs");
            Eventually.await(() -> receivers.size() > 2_000, "messages flow before the switch");
            proxy.hold(Duration.ofSeconds(60));
            long frozen = offset(src);
            Eventually.await(() -> offset(tgt) == frozen, "the replica catches up with the held source");
            tgt.sync().replicaofNoOne();
            SwitchResult switched = proxy.switchTo(target.uri(), Optional.empty());
            assertEquals(0, switched.replayErrors(), switched.toString());
            int atSwitch = receivers.size();
            Eventually.await(() -> receivers.size() > atSwitch + 2_000, "messages flow after the switch");
        }
        publishing.set(false);
        publishes.get(60, TimeUnit.SECONDS);
        int published = receivers.size();
        assertEquals(List.of(), receivers.stream().filter(n -> n != 2).distinct().toList(),
                "every PUBLISH reached both subscribers, also those held and released at the switch");
        for (BlockingQueue<String> messages : received) {
            List<String> got = new ArrayList<>();
            while (got.size() < published) {
                String m = messages.poll(60, TimeUnit.SECONDS);
                assertTrue(m != null, "message " + got.size() + " of " + published + " never arrived");
                got.add(m);
            }
            assertEquals(java.util.stream.IntStream.range(0, published).mapToObj(Integer::toString).toList(), got,
                    "each message once, in order");
            assertNull(messages.poll(200, TimeUnit.MILLISECONDS), "no message twice");
        }
    }

    /**
     * 16 MB the subscriber does not read yet, in the old server's buffers and the proxy's: in
     * messages smaller than what the proxy reads at once, and larger (so the proxy stops reading,
     * its client being slow, in the middle of one).
     */
    @ParameterizedTest
    @CsvSource({"16384, 1000", "98304, 170"})
    void aSubscriberThatFellBehindStillGetsWhatTheOldServerSentAndDoesNotHoldUpTheSwitch(int size, int before)
            throws Exception {
        LocalServer a = servers.start(Flavour.VALKEY_8);
        LocalServer b = servers.start(Flavour.REDIS_8);
        ProxyServer proxy = open.proxy(a);
        try (RawResp subscriber = new RawResp(proxy.address())) {
            assertEquals(List.of("subscribe", "ticks", 1L), subscriber.call("SUBSCRIBE", "ticks"));
            RedisCommands<String, String> publisher = open.client(proxy).connect().sync();
            String padding = "x".repeat(size);
            for (int i = 0; i < before; i++) {
                assertEquals(1L, publisher.publish("ticks", i + ":" + padding));
            }
            SwitchResult switched = proxy.switchTo(b.uri(), Optional.empty());
            assertEquals(2, switched.clients(), switched.toString());
            assertEquals(0, switched.replayErrors(), switched.toString());
            assertEquals(1L, publisher.publish("ticks", before + ":" + padding), "the subscriber is on the new server");
            for (int i = 0; i <= before; i++) {
                List<?> message = (List<?>) subscriber.read();
                String payload = (String) message.get(2);
                assertEquals(i + ":" + padding.length(), payload.substring(0, payload.indexOf(':') + 1)
                        + (payload.length() - payload.indexOf(':') - 1), "message " + i + " whole and in order");
            }
            assertEquals(2, proxy.status().clients(), "the slow subscriber was not dropped");
        }
    }

    @Test
    void clientReplyModesAndMonitorWorkAsDirectAndCarryOverTheSwitch() throws Exception {
        LocalServer a = servers.start(Flavour.VALKEY_9);
        LocalServer b = servers.start(Flavour.REDIS_7);
        ProxyServer proxy = open.proxy(a);
        try (RawResp quiet = new RawResp(proxy.address()); RawResp monitor = new RawResp(proxy.address());
             Redis ra = new Redis(a); Redis rb = new Redis(b)) {
            assertEquals("OK", monitor.call("MONITOR"));
            quiet.send("CLIENT", "REPLY", "OFF");
            quiet.send("SET", "r:1", "a");
            quiet.send("CLIENT", "REPLY", "SKIP"); // ignored while replies are off, as on the server
            quiet.send("SET", "r:2", "b");
            assertEquals("OK", quiet.call("CLIENT", "REPLY", "ON"), "the first reply after OFF is ON's own");
            quiet.send("CLIENT", "REPLY", "SKIP");
            quiet.send("SET", "r:3", "c");
            assertEquals("a", quiet.call("GET", "r:1"), "SKIP dropped exactly one reply");
            assertEquals("-ERR", ((String) quiet.call("CLIENT", "REPLY", "SOMETIMES")).substring(0, 4));
            quiet.send("CLIENT", "REPLY", "OFF");
            quiet.send("MULTI");
            quiet.send("SET", "r:tx", "t");
            quiet.send("EXEC");
            assertEquals("OK", quiet.call("CLIENT", "REPLY", "ON"), "no QUEUED and no EXEC reply while replies are off");
            assertEquals("t", quiet.call("GET", "r:tx"));
            assertEquals(List.of("a", "b", "c"), ra.sync().mget("r:1", "r:2", "r:3").stream().map(KeyValue::getValue).toList());
            assertTrue(monitorSees(monitor, "\"r:3\""), "the monitor sees the writes on the first server");

            quiet.send("CLIENT", "REPLY", "OFF");
            SwitchResult switched = proxy.switchTo(b.uri(), Optional.empty());
            assertEquals(0, switched.replayErrors(), switched.toString());
            quiet.send("SET", "r:4", "d");
            assertEquals("OK", quiet.call("CLIENT", "REPLY", "ON"), "replies stayed off across the switch");
            assertEquals("d", quiet.call("GET", "r:4"));
            assertEquals("d", rb.sync().get("r:4"));
            assertNull(ra.sync().get("r:4"));
            assertTrue(monitorSees(monitor, "\"r:4\""), "the monitor follows the switch to the new server");
        }
    }

    /** Reads MONITOR lines until one contains {@code text} (false after 500 lines without it). */
    private static boolean monitorSees(RawResp monitor, String text) throws Exception {
        for (int i = 0; i < 500; i++) {
            if (monitor.read() instanceof String line && line.contains(text)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void transactionsOpenAcrossASwitchRunOnTheTargetUnlessWatched() throws Exception {
        LocalServer a = servers.start(Flavour.VALKEY_9);
        LocalServer b = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = open.proxy(a);
        RedisCommands<String, String> watcher = open.client(proxy).connect().sync();
        RedisCommands<String, String> multi = open.client(proxy).connect().sync();
        watcher.watch("w");
        multi.multi();
        multi.set("m", "queued-before-the-switch");
        proxy.switchTo(b.uri(), Optional.empty());
        multi.incr("m2");
        assertEquals(2, multi.exec().size());
        watcher.multi();
        watcher.set("w", "must-not-run");
        assertTrue(watcher.exec().wasDiscarded(), "a WATCH taken on the old server aborts the EXEC");
        try (Redis rb = new Redis(b); Redis ra = new Redis(a)) {
            assertEquals("queued-before-the-switch", rb.sync().get("m"));
            assertEquals("1", rb.sync().get("m2"));
            assertNull(rb.sync().get("w"));
            assertNull(ra.sync().get("m"), "the transaction did not run on the old server");
        }
        watcher.watch("w");
        watcher.multi();
        watcher.set("w", "runs");
        assertFalse(watcher.exec().wasDiscarded(), "a WATCH taken after the switch works as usual");
    }

    @Test
    void aclUsersAreMappedToTheTargetsCredentialsAndStateFollows() throws Exception {
        LocalServer a = servers.start(Flavour.VALKEY_9);
        LocalServer b = servers.start(Flavour.VALKEY_9);
        try (Redis ra = new Redis(a); Redis rb = new Redis(b)) {
            ra.sync().aclSetuser("app", io.lettuce.core.AclSetuserArgs.Builder.on().addPassword("source-pass").allKeys()
                    .allChannels().allCommands());
            rb.sync().aclSetuser("app-new", io.lettuce.core.AclSetuserArgs.Builder.on().addPassword("target-pass").allKeys()
                    .allChannels().allCommands());
        }
        ProxyServer proxy = open.proxy(a);
        RedisCommands<String, String> r2 = open.client(proxy, ProtocolVersion.RESP2, "app", "source-pass").connect().sync();
        RedisCommands<String, String> r3 = open.client(proxy, ProtocolVersion.RESP3, "app", "source-pass").connect().sync();
        r2.select(5);
        r2.clientSetname("worker-2");
        assertEquals("app", r2.aclWhoami());
        assertEquals("app", r3.aclWhoami());
        SwitchResult s = proxy.switchTo(b.uri(), Optional.of(Credentials.of("app-new", "target-pass")));
        assertEquals(0, s.replayErrors(), s.toString());
        assertEquals("app-new", r2.aclWhoami());
        assertEquals("app-new", r3.aclWhoami());
        assertEquals("worker-2", r2.clientGetname());
        r2.set("in-db5", "x");
        try (Redis rb = new Redis(b)) {
            assertEquals(0L, rb.sync().exists("in-db5"), "not in db 0");
        }
        try (RawResp direct = new RawResp(new java.net.InetSocketAddress(b.host(), b.port()))) {
            direct.call("SELECT", "5");
            assertEquals("x", direct.call("GET", "in-db5"), "SELECT 5 followed the connection");
        }
        for (ProtocolVersion protocol : List.of(ProtocolVersion.RESP2, ProtocolVersion.RESP3)) {
            RedisCommands<String, String> late = open.client(proxy, protocol, "app", "source-pass").connect().sync();
            assertEquals("app-new", late.aclWhoami(), "a connection made after the switch with the source's"
                    + " credentials is mapped too (" + protocol + ")");
        }
        try (RawResp stranger = new RawResp(proxy.address())) {
            assertTrue(String.valueOf(stranger.call("AUTH", "app", "wrong")).startsWith("-WRONGPASS"),
                    "credentials the source never accepted are not mapped");
        }
    }

    @Test
    void trackingClientsGetAFullInvalidationOnTheSwitch() throws Exception {
        LocalServer a = servers.start(Flavour.VALKEY_9);
        LocalServer b = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = open.proxy(a);
        try (RawResp resp3 = new RawResp(proxy.address()); RawResp redirected = new RawResp(proxy.address())) {
            resp3.call("HELLO", "3");
            assertEquals("OK", resp3.call("CLIENT", "TRACKING", "ON"));
            assertNull(resp3.call("GET", "cached"));
            assertEquals(List.of("subscribe", Resp.INVALIDATE_CHANNEL, 1L),
                    redirected.call("SUBSCRIBE", Resp.INVALIDATE_CHANNEL));
            proxy.switchTo(b.uri(), Optional.empty());
            Object push = resp3.read();
            assertEquals(new RawResp.Push(java.util.Arrays.asList("invalidate", null)), push);
            assertEquals(java.util.Arrays.asList("message", Resp.INVALIDATE_CHANNEL, null), redirected.read());
            assertNull(resp3.call("GET", "cached"));
            try (Redis rb = new Redis(b)) {
                rb.sync().set("cached", "changed-on-the-target");
            }
            Object again = resp3.read();
            assertEquals(new RawResp.Push(java.util.Arrays.asList("invalidate", List.of("cached"))), again,
                    "tracking goes on on the target");
        }
    }

    @Test
    void aResp2TrackingRedirectFollowsItsSubscriberToTheNewUpstream() throws Exception {
        LocalServer a = servers.start(Flavour.VALKEY_9);
        LocalServer b = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = open.proxy(a);
        try (RawResp subscriber = new RawResp(proxy.address()); RawResp tracker = new RawResp(proxy.address())) {
            long id = (Long) subscriber.call("CLIENT", "ID");
            assertEquals(List.of("subscribe", Resp.INVALIDATE_CHANNEL, 1L),
                    subscriber.call("SUBSCRIBE", Resp.INVALIDATE_CHANNEL));
            assertEquals("OK", tracker.call("CLIENT", "TRACKING", "ON", "REDIRECT", Long.toString(id)));
            assertNull(tracker.call("GET", "cached"));
            try (Redis ra = new Redis(a)) {
                ra.sync().set("cached", "changed-on-the-source");
            }
            assertEquals(List.of("message", Resp.INVALIDATE_CHANNEL, List.of("cached")), subscriber.read());

            SwitchResult switched = proxy.switchTo(b.uri(), Optional.empty());
            assertEquals(0, switched.replayErrors(), "REDIRECT was replayed with the subscriber's id on the target: "
                    + switched);
            assertEquals(java.util.Arrays.asList("message", Resp.INVALIDATE_CHANNEL, null), subscriber.read(),
                    "the subscriber is told to drop everything");
            assertNull(tracker.call("GET", "cached"));
            try (Redis rb = new Redis(b)) {
                rb.sync().set("cached", "changed-on-the-target");
            }
            assertEquals(List.of("message", Resp.INVALIDATE_CHANNEL, List.of("cached")), subscriber.read(),
                    "the target sends the tracker's invalidations to the subscriber");

            switched = proxy.switchTo(a.uri(), Optional.empty());
            assertEquals(0, switched.replayErrors(), "and again on the way back: " + switched);
            assertEquals(java.util.Arrays.asList("message", Resp.INVALIDATE_CHANNEL, null), subscriber.read());
            assertEquals("changed-on-the-source", tracker.call("GET", "cached"));
            try (Redis ra = new Redis(a)) {
                ra.sync().set("cached", "changed-again");
            }
            assertEquals(List.of("message", Resp.INVALIDATE_CHANNEL, List.of("cached")), subscriber.read());
        }
    }
}
