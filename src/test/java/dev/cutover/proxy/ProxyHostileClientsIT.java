package dev.cutover.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.Secret;
import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.local.ServerSpec;
import dev.cutover.testing.Eventually;
import dev.cutover.testing.Servers;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clients of the kind a port scanner or a careless program is: huge declarations, payloads the
 * budget cannot hold, slow senders, idle crowds, readers that never read, quoting tricks during a
 * hold, and no password. After each, a normal client is served and nothing acknowledged is lost.
 */
class ProxyHostileClientsIT {
    private static final long BUDGET = 32L << 20;

    @RegisterExtension
    final Servers servers = new Servers();
    @RegisterExtension
    final ProxyClients open = new ProxyClients();

    private ProxyServer proxy(LocalServer upstream, ProxyLimits limits) {
        return open.proxy(ProxyOptions.of("127.0.0.1:0", upstream.uri()).withLimits(limits));
    }

    private Socket raw(ProxyServer proxy) throws IOException {
        Socket s = open.closeAfter(new Socket());
        s.connect(proxy.address(), 5000);
        s.setSoTimeout(60_000);
        return s;
    }

    private static void assertServes(ProxyServer proxy, String key, String value) throws IOException {
        try (RawResp c = new RawResp(proxy.address())) {
            assertEquals("PONG", c.call("PING"));
            assertEquals("OK", c.call("SET", key, value));
            assertEquals(value, c.call("GET", key));
        }
    }

    @Test
    void declaredLengthsAllocateNothingAndPayloadsPastTheBudgetWait() throws Exception {
        LocalServer server = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = proxy(server, new ProxyLimits(ProxyLimits.CLIENT_INPUT, BUDGET));
        assertServes(proxy, "before", "1");
        List<Socket> hostile = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Socket s = raw(proxy);
            s.getOutputStream().write("*1\r\n$536870912\r\n".getBytes(StandardCharsets.US_ASCII));
            hostile.add(s);
        }
        assertServes(proxy, "declared", "1");
        assertTrue(proxy.status().bufferedBytes() < 1 << 20, "16 declarations of 512 MiB hold "
                + proxy.status().bufferedBytes() + " bytes");
        // Now each sends 4 MiB of its payload: 64 MiB against a 32 MiB budget.
        byte[] chunk = new byte[256 * 1024];
        List<CompletableFuture<Void>> senders = new ArrayList<>();
        for (Socket s : hostile) {
            senders.add(CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    for (int k = 0; k < 16; k++) {
                        out.write(chunk);
                    }
                } catch (IOException closed) {
                    // evicted to keep within the budget: allowed
                }
            }));
        }
        long most = 0;
        for (int round = 0; round < 20; round++) {
            most = Math.max(most, proxy.status().bufferedBytes());
            Thread.sleep(100);
        }
        assertServes(proxy, "during", "1");
        ProxyStatus status = proxy.status();
        assertTrue(Math.max(most, status.bufferedBytes()) <= BUDGET, "buffered " + most + " of a budget of " + BUDGET);
        assertEquals(BUDGET, status.budgetBytes());
        for (Socket s : hostile) {
            s.close();
        }
        for (CompletableFuture<Void> f : senders) {
            f.get(60, TimeUnit.SECONDS);
        }
        Eventually.await(() -> proxy.status().bufferedBytes() < 1 << 20, "closed connections give their memory back");
        assertServes(proxy, "after", "1");
        try (RawResp direct = new RawResp(new InetSocketAddress(server.host(), server.port()))) {
            for (String k : List.of("before", "declared", "during", "after")) {
                assertEquals("1", direct.call("GET", k), k);
            }
        }
        assertEquals(0, proxy.status().loopFailures());
    }

    @Test
    void aClientOverItsInputLimitGetsAnErrorAndOnlyItIsClosed() throws Exception {
        LocalServer server = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = proxy(server, new ProxyLimits(1 << 20, BUDGET));
        try (RawResp neighbour = new RawResp(proxy.address())) {
            assertEquals("OK", neighbour.call("SET", "n", "1"));
            Socket big = raw(proxy);
            OutputStream out = big.getOutputStream();
            out.write("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2097152\r\n".getBytes(StandardCharsets.US_ASCII));
            try {
                out.write(new byte[2 << 20]);
            } catch (IOException closed) {
                // the proxy may hang up before all of it is written
            }
            String reply = new String(big.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(reply.startsWith("-ERR Protocol error: ") && reply.contains("client input limit"), reply);
            assertEquals("1", neighbour.call("GET", "n"));
        }
        assertServes(proxy, "after", "1");
    }

    @Test
    void aSlowSenderIsServedAndKeepsNobodyWaiting() throws Exception {
        LocalServer server = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = proxy(server, ProxyLimits.defaults());
        Socket slow = raw(proxy);
        byte[] ping = "*2\r\n$4\r\nECHO\r\n$4\r\nslow\r\n".getBytes(StandardCharsets.US_ASCII);
        CompletableFuture<Void> dripping = CompletableFuture.runAsync(() -> {
            try {
                for (byte b : ping) {
                    slow.getOutputStream().write(b);
                    Thread.sleep(50);
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        try (RawResp fast = new RawResp(proxy.address())) {
            for (int i = 0; i < 50; i++) {
                assertEquals("OK", fast.call("SET", "k" + i, "v"));
            }
        }
        dripping.get(60, TimeUnit.SECONDS);
        byte[] got = slow.getInputStream().readNBytes("$4\r\nslow\r\n".length());
        assertEquals("$4\r\nslow\r\n", new String(got, StandardCharsets.US_ASCII));
    }

    @Test
    void thousandsOfIdleConnectionsLeaveTheProxyServing() throws Exception {
        LocalServer server = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = proxy(server, ProxyLimits.defaults());
        int n = 2000;
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            idle.add(raw(proxy));
        }
        Eventually.await(() -> proxy.status().clients() >= n, "the proxy counts every idle connection");
        assertServes(proxy, "amid-idle", "1");
        assertTrue(proxy.status().bufferedBytes() < 4L << 20, "idle connections buffer nothing: "
                + proxy.status().bufferedBytes());
        for (Socket s : idle) {
            s.close();
        }
        Eventually.await(() -> proxy.status().clients() == 0, "closed idle connections are gone");
        assertServes(proxy, "after-idle", "1");
    }

    @Test
    void aClientThatNeverReadsItsRepliesIsBoundedByTheBudget() throws Exception {
        LocalServer server = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = proxy(server, new ProxyLimits(ProxyLimits.CLIENT_INPUT, BUDGET));
        try (RawResp setup = new RawResp(proxy.address())) {
            assertEquals("OK", setup.call("SET", "big", "x".repeat(1 << 20)));
        }
        Socket deaf = raw(proxy);
        deaf.setReceiveBufferSize(4096);
        byte[] get = "*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n".getBytes(StandardCharsets.US_ASCII);
        CompletableFuture<Void> asking = CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = deaf.getOutputStream();
                for (int i = 0; i < 400; i++) { // 400 MiB of replies, never read
                    out.write(get);
                }
            } catch (IOException closed) {
                // closed by the proxy: allowed
            }
        });
        long most = 0;
        for (int round = 0; round < 30; round++) {
            most = Math.max(most, proxy.status().bufferedBytes());
            Thread.sleep(100);
        }
        assertTrue(most <= BUDGET, "buffered " + most + " of a budget of " + BUDGET);
        assertServes(proxy, "beside-deaf", "1");
        deaf.close();
        asking.get(60, TimeUnit.SECONDS);
        Eventually.await(() -> proxy.status().bufferedBytes() < 2L << 20, "a closed reader's replies are let go");
        assertEquals(0, proxy.status().loopFailures());
    }

    @Test
    void inlineQuotingTricksAreHeldDuringAHold() throws Exception {
        for (Flavour flavour : new Flavour[] {Flavour.VALKEY_9, Flavour.REDIS_7}) {
            LocalServer server = servers.start(flavour);
            ProxyServer proxy = proxy(server, ProxyLimits.defaults());
            List<String> tricks = new ArrayList<>(List.of("\"SET\" t1 1", "\"\\x53ET\" t2 1", "'set' t3 1",
                    "SeT\t t4 1", "\"\\x73\\x65\\x74\" t5 1"));
            if (flavour == Flavour.VALKEY_9) {
                tricks.add("\"SE\"T t6 1"); // Valkey 9 joins quoted parts into one argument: this is SET
                tricks.add("S'E'T t7 1");
            }
            HoldResult hold = proxy.hold(Duration.ofSeconds(30));
            assertTrue(hold.until().isAfter(hold.since()));
            List<Socket> clients = new ArrayList<>();
            for (String t : tricks) {
                Socket s = raw(proxy);
                s.getOutputStream().write((t + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                clients.add(s);
            }
            Socket unknown = raw(proxy);
            unknown.getOutputStream().write("*2\r\n$9\r\nNOSUCHCMD\r\n$1\r\nx\r\n".getBytes(StandardCharsets.US_ASCII));
            Eventually.await(() -> proxy.status().heldCommands() >= tricks.size() + 1,
                    flavour + ": every trick and the unknown command are held, not sent");
            try (RawResp direct = new RawResp(new InetSocketAddress(server.host(), server.port()))) {
                for (int i = 1; i <= tricks.size(); i++) {
                    assertNull(direct.call("GET", "t" + i), flavour + ": " + tricks.get(i - 1) + " reached the source during the hold");
                }
            }
            assertTrue(proxy.release().wasHolding());
            for (Socket s : clients) {
                assertEquals("+OK\r\n", new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII));
            }
            String err = new String(unknown.getInputStream().readNBytes(4), StandardCharsets.US_ASCII);
            assertEquals("-ERR", err);
            try (RawResp direct = new RawResp(new InetSocketAddress(server.host(), server.port()))) {
                for (int i = 1; i <= tricks.size(); i++) {
                    assertEquals("1", direct.call("GET", "t" + i), flavour + ": " + tricks.get(i - 1));
                }
            }
        }
    }

    @Test
    void transparentAuthLeavesTheServerToAnswerAndFollowsASwitch() throws Exception {
        LocalServer source = servers.start(ServerSpec.of(Flavour.VALKEY_9).withPassword("src-pass"));
        LocalServer target = servers.start(ServerSpec.of(Flavour.VALKEY_9).withPassword("tgt-pass"));
        // The operator's upstream password serves only the proxy's own connections (loopback: allowed).
        ProxyServer proxy = open.proxy(ProxyOptions.of("127.0.0.1:0", source.uriWithPassword()));
        try (RawResp anonymous = new RawResp(proxy.address());
             RawResp direct = new RawResp(new InetSocketAddress(source.host(), source.port()))) {
            for (String[] c : List.of(new String[] {"PING"}, new String[] {"GET", "x"},
                    new String[] {"CONFIG", "GET", "requirepass"}, new String[] {"AUTH", "wrong"})) {
                Object viaProxy = anonymous.call(c);
                assertEquals(direct.call(c), viaProxy, String.join(" ", c));
                assertTrue(String.valueOf(viaProxy).startsWith("-NOAUTH") || String.valueOf(viaProxy).startsWith("-WRONGPASS"),
                        String.join(" ", c) + ": " + viaProxy);
            }
        }
        String port = Integer.toString(proxy.address().getPort());
        Process ping = new ProcessBuilder("redis-cli", "-p", port, "ping").redirectErrorStream(true).start();
        assertTrue(new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains("NOAUTH"));
        ProcessBuilder set = new ProcessBuilder("redis-cli", "--no-auth-warning", "-a", "src-pass", "-p", port, "set", "k", "v");
        Process setting = set.redirectErrorStream(true).start();
        assertEquals("OK", new String(setting.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());

        try (RawResp app = new RawResp(proxy.address())) {
            assertEquals("OK", app.call("AUTH", "src-pass"));
            assertEquals("OK", app.call("SET", "a", "1"));
            try (RawResp t = new RawResp(new InetSocketAddress(target.host(), target.port()))) {
                assertEquals("OK", t.call("AUTH", "tgt-pass"));
                assertEquals("OK", t.call("SET", "a", "1"));
            }
            // The client's own password is the source's: the switch maps it to the target's.
            proxy.switchTo(target.uri(), Optional.of(Credentials.of(null, "tgt-pass")));
            assertEquals("1", app.call("GET", "a"));
            assertEquals("OK", app.call("SET", "after", "switch"));
        }
        try (RawResp t = new RawResp(new InetSocketAddress(target.host(), target.port()))) {
            assertEquals("OK", t.call("AUTH", "tgt-pass"));
            assertEquals("switch", t.call("GET", "after"));
        }
        try (RawResp anonymous = new RawResp(proxy.address())) {
            assertTrue(String.valueOf(anonymous.call("GET", "a")).startsWith("-NOAUTH"), "still no one is logged in for free");
        }
    }

    @Test
    void offloadedAuthAnswersAsAServerWithRequirepass() throws Exception {
        LocalServer upstream = servers.start(ServerSpec.of(Flavour.VALKEY_9).withPassword("upstream-secret"));
        LocalServer model = servers.start(ServerSpec.of(Flavour.VALKEY_9).withPassword("client-pass"));
        ProxyServer proxy = open.proxy(ProxyOptions.of("127.0.0.1:0", upstream.uriWithPassword())
                .withClientAuth(new ClientAuth.Password(Optional.empty(), Secret.of("client-pass"))));
        try (RawResp viaProxy = new RawResp(proxy.address());
             RawResp server = new RawResp(new InetSocketAddress(model.host(), model.port()))) {
            for (String[] c : List.of(new String[] {"PING"}, new String[] {"GET", "x"},
                    new String[] {"CONFIG", "GET", "requirepass"}, new String[] {"HELLO", "3"},
                    new String[] {"AUTH", "wrong"}, new String[] {"AUTH", "nobody", "client-pass"},
                    new String[] {"AUTH", "client-pass"}, new String[] {"SET", "k", "v"}, new String[] {"GET", "k"})) {
                assertEquals(server.call(c), viaProxy.call(c), String.join(" ", c));
            }
        }
        // Unauthenticated connections get the server's tighter framing limits, word for word.
        for (String hostile : List.of("*11\r\n", "*1\r\n$16385\r\n", "*2\r\n$4\r\nPING\r\n$16384\r\n")) {
            byte[] b = hostile.getBytes(StandardCharsets.US_ASCII);
            assertEquals(ProxyHostileFuzzIT.exchange(new InetSocketAddress(model.host(), model.port()), b),
                    ProxyHostileFuzzIT.exchange(proxy.address(), b), hostile);
        }
        try (RawResp direct = new RawResp(new InetSocketAddress(upstream.host(), upstream.port()))) {
            assertEquals("OK", direct.call("AUTH", "upstream-secret"));
            assertEquals("v", direct.call("GET", "k"));
        }
    }

    @Test
    void upstreamCredentialsWithoutAClientPasswordAreRefusedOffLoopback() {
        LocalServer server = servers.start(ServerSpec.of(Flavour.VALKEY_9).withPassword("s3cret"));
        CutoverException refused = assertThrows(CutoverException.Usage.class, () -> open.proxy(
                ProxyOptions.of("0.0.0.0:0", server.uriWithPassword())));
        assertTrue(refused.getMessage().contains("--client-password-env"), refused.getMessage());
        assertTrue(!refused.getMessage().contains("s3cret"), refused.getMessage());
        ProxyServer chosen = open.proxy(ProxyOptions.of("0.0.0.0:0", server.uriWithPassword())
                .withClientAuth(new ClientAuth.Transparent(true)));
        assertTrue(chosen.address().getPort() > 0);
    }

    static String read(InputStream in, int n) throws IOException {
        return new String(in.readNBytes(n), StandardCharsets.ISO_8859_1);
    }
}
