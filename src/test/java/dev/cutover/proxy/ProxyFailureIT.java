package dev.cutover.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.CutoverException;
import dev.cutover.ExitCode;
import dev.cutover.endpoint.Secret;
import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.testing.Eventually;
import dev.cutover.testing.Redis;
import dev.cutover.testing.Servers;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What clients and operators see when things go wrong: a dead upstream, a wrong token, bad options. */
class ProxyFailureIT {
    private static final Path PROJECT = Path.of(System.getenv().getOrDefault("CUTOVER_PROJECT_DIR", "."));

    @RegisterExtension
    final Servers servers = new Servers();
    @RegisterExtension
    final ProxyClients open = new ProxyClients();

    @TempDir
    Path dir;
    private StatefulRedisConnection<String, String> connect(ProxyServer proxy) {
        return open.client(proxy, null).connect();
    }

    @Test
    void aKilledUpstreamGivesClientsAnErrorAndTheProxyGoesOn() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_9);
        LocalServer spare = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = ProxyServer.start(ProxyOptions.of("127.0.0.1:0", source.uri()));
        open.closeAfter(proxy);
        StatefulRedisConnection<String, String> app = connect(proxy);
        StatefulRedisConnection<String, String> waiting = connect(proxy);
        app.sync().set("k", "v");
        RedisFuture<KeyValue<String, String>> pop = waiting.async().blpop(0, "q");
        RawResp batch = new RawResp(proxy.address());
        open.closeAfter(batch);
        // One read: a blocked pop, then three requests the server has not run yet, all owed a reply.
        batch.pipeline(List.of(new String[] {"BLPOP", "q2", "0"}, new String[] {"PING"}, new String[] {"PING"},
                new String[] {"PING"}));
        try (dev.cutover.testing.Redis src = new dev.cutover.testing.Redis(source)) {
            Eventually.await(() -> src.info("clients").contains("blocked_clients:2"), "both pops blocked on the source");
        }
        source.close();
        for (int i = 0; i < 4; i++) {
            assertTrue(String.valueOf(batch.read()).startsWith("-ERR cutover proxy: upstream"),
                    "every request of the batch gets its error, not one per batch");
        }

        ExecutionException inFlight = assertThrows(ExecutionException.class, () -> pop.get(60, TimeUnit.SECONDS));
        assertTrue(inFlight.getCause().getMessage().contains("cutover proxy: upstream 127.0.0.1:" + source.port()
                + " unreachable"), inFlight.getCause().getMessage());
        RedisCommandExecutionException next = assertThrows(RedisCommandExecutionException.class, () -> app.sync().get("k"));
        assertTrue(next.getMessage().startsWith("ERR cutover proxy: upstream"), next.getMessage());
        try (RawResp late = new RawResp(proxy.address())) {
            assertTrue(String.valueOf(late.call("PING")).startsWith("-ERR cutover proxy: upstream"), "new clients too");
        }
        assertTrue(proxy.status().upstreamState() instanceof UpstreamState.Unreachable u
                && u.address().endsWith(":" + source.port()), String.valueOf(proxy.status().upstreamState()));

        proxy.switchTo(spare.uri(), Optional.empty());
        assertEquals("OK", app.sync().set("k", "on-the-spare"), "the same connection works after a switch");
        assertEquals("PONG", waiting.sync().ping());
    }

    @Test
    void aClientThatSendsGarbageGetsTheRepliesOwedFirstThenTheErrorAsFromAServer() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = ProxyServer.start(ProxyOptions.of("127.0.0.1:0", source.uri()));
        open.closeAfter(proxy);
        RawResp direct = new RawResp(new java.net.InetSocketAddress("127.0.0.1", source.port()));
        open.closeAfter(direct);
        // One write: two requests, then bytes that are not RESP.
        String batch = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n*1\r\n$3x\r\n";
        RawResp client = new RawResp(proxy.address());
        open.closeAfter(client);
        client.raw(batch);
        assertEquals("OK", client.read());
        assertEquals(1L, client.read());
        assertTrue(String.valueOf(client.read()).startsWith("-ERR Protocol error"), "then the error");
        assertThrows(java.io.IOException.class, client::read, "and the connection closes");
        assertEquals(2L, direct.call("INCR", "n"), "the INCR before the garbage ran once");

        // While writes are held: the held SET goes when the hold ends, and gets its reply before the error.
        RawResp held = new RawResp(proxy.address());
        open.closeAfter(held);
        proxy.hold(Duration.ofSeconds(30));
        held.send("SET", "h", "1");
        held.raw("*1\r\n$3x\r\n"); // a server waits for the line's end before it judges the line
        Eventually.await(() -> proxy.status().heldCommands() == 1, "the SET is held");
        proxy.release();
        assertEquals("OK", held.read());
        assertTrue(String.valueOf(held.read()).startsWith("-ERR Protocol error"));
        assertEquals("1", direct.call("GET", "h"));
    }

    @Test
    void aClientThatReadsSlowlyStillGetsEveryReplyAndTheErrorBeforeTheClose() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = ProxyServer.start(ProxyOptions.of("127.0.0.1:0", source.uri()));
        open.closeAfter(proxy);
        int size = 4 << 20;
        try (Redis direct = new Redis(source)) {
            assertEquals("OK", direct.sync().set("big", "v".repeat(size)));
        }
        // 24 MB of replies owed, then bytes that are not RESP, read by a client slower than the proxy.
        StringBuilder request = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            request.append("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n");
        }
        request.append("*1\r\n$3x\r\n");
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        try (java.net.Socket slow = new java.net.Socket()) {
            slow.setReceiveBufferSize(64 * 1024);
            slow.connect(proxy.address(), 5000);
            slow.setSoTimeout(30_000);
            slow.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
            byte[] piece = new byte[32 * 1024];
            for (int n = slow.getInputStream().read(piece); n >= 0; n = slow.getInputStream().read(piece)) {
                got.write(piece, 0, n);
                Thread.sleep(1);
            }
        }
        String reply = "$" + size + "\r\n" + "v".repeat(size) + "\r\n";
        String received = got.toString(StandardCharsets.US_ASCII);
        assertEquals(6 * reply.length(), received.indexOf("-ERR Protocol error"), "six whole replies, then the error");
        assertTrue(received.endsWith("\r\n"), "the error line is whole");
    }

    private record Run(int code, String out, String err) {
    }

    private static Run cutover(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PROJECT.resolve("bin/cutover").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out, err);
    }

    @Test
    void theCommandLineSaysWhatIsWrongInOneLine() throws Exception {
        Run badListen = cutover("proxy", "--listen", "nowhere", "--upstream", "redis://127.0.0.1:1");
        assertEquals(ExitCode.USAGE, badListen.code(), badListen.err());
        assertEquals("error: --listen takes HOST:PORT, e.g. 127.0.0.1:6380, not 'nowhere'\n", badListen.err());
        Run badUri = cutover("proxy", "--listen", "127.0.0.1:0", "--upstream", "http://x:1");
        assertEquals(ExitCode.USAGE, badUri.code(), badUri.err());
        assertTrue(badUri.err().startsWith("error: unsupported scheme 'http://'") && badUri.err().lines().count() == 1,
                badUri.err());
        Run noToken = cutover("proxy", "--listen", "127.0.0.1:0", "--upstream", "redis://127.0.0.1:1", "--control",
                "127.0.0.1:0");
        assertEquals(ExitCode.USAGE, noToken.code(), noToken.err());
        Run open = cutover("proxy", "--listen", "0.0.0.0:0", "--upstream", "redis://:s3cret-pass@127.0.0.1:1");
        assertEquals(ExitCode.USAGE, open.code(), open.err());
        assertTrue(open.err().contains("--client-password-env") && open.err().lines().count() == 1
                && !open.err().contains("s3cret-pass"), open.err());
        Run both = cutover("proxy", "--listen", "127.0.0.1:0", "--upstream", "redis://127.0.0.1:1",
                "--client-password-env", "PATH", "--transparent-auth");
        assertEquals(ExitCode.USAGE, both.code(), both.err());
        assertTrue(both.err().contains("exclude each other"), both.err());
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Run inUse = cutover("proxy", "--listen", "127.0.0.1:" + taken.getLocalPort(), "--upstream", "redis://127.0.0.1:1");
            assertEquals(ExitCode.PRECONDITION, inUse.code(), inUse.err());
            assertTrue(inUse.err().startsWith("error: cannot listen on 127.0.0.1:" + taken.getLocalPort())
                    && inUse.err().lines().count() == 1, inUse.err());
        }
    }

    /**
     * A client sends a blocking pop and QUIT, then goes away without its reply. A server frees such
     * a client and its pop with it; the proxy must close the upstream connection too, or the next
     * push would be popped for nobody (an acknowledged element lost).
     */
    @Test
    void aClientThatQuitsAndLeavesWhileItsPopBlocksLeavesTheNextPushInTheList() throws Exception {
        LocalServer server = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = open.proxy(server);
        try (Redis direct = new Redis(server)) {
            try (RawResp quitter = new RawResp(proxy.address())) {
                quitter.pipeline(List.of(new String[] {"BLPOP", "q", "0"}, new String[] {"QUIT"}));
                Eventually.await(() -> direct.infoNumber("clients", "blocked_clients") == 1, "the pop blocks on the server");
            }
            Eventually.await(() -> direct.infoNumber("clients", "blocked_clients") == 0,
                    "the server holds no pop for a client that is gone");
            direct.sync().lpush("q", "v");
            assertEquals(List.of("v"), direct.sync().lrange("q", 0, -1));
        }
    }

    /** A client that half-closes after QUIT (printf … | nc -N) still reads every reply owed to it. */
    @Test
    void aClientThatHalfClosesAfterQuitStillGetsItsReplies() throws Exception {
        LocalServer server = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = open.proxy(server);
        try (java.net.Socket s = new java.net.Socket(proxy.address().getAddress(), proxy.address().getPort())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*1\r\n$4\r\nQUIT\r\n".getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("+OK\r\n$1\r\nv\r\n+OK\r\n", all);
        }
    }

    @Test
    void anUnreachableUpstreamAtStartIsAWarningAndTheProxyServes() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        Path socket = dir.resolve("ctl.sock");
        Process p = new ProcessBuilder(PROJECT.resolve("bin/cutover").toString(), "proxy", "--listen", "127.0.0.1:0",
                "--upstream", "redis://127.0.0.1:" + dead, "--control", "unix:" + socket).start();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String warning = err.readLine();
            assertTrue(warning != null && warning.startsWith("warning: upstream 127.0.0.1:" + dead + " does not answer yet"),
                    String.valueOf(warning));
            Eventually.await(() -> Files.exists(socket), "the control socket is up");
            try (ProxyControl control = ProxyControl.connect("unix:" + socket, Optional.empty(), Optional.empty())) {
                ProxyStatus status = control.status();
                assertTrue(status.upstreamState() instanceof UpstreamState.Unreachable, status.toString());
                assertEquals(0, status.clients());
                ExpectedIo.check(status.io()); // the launcher's jar grants what io_uring needs (manifest Add-Exports)
            }
            assertTrue(p.isAlive());
        } finally {
            p.destroy();
            p.waitFor(); // SIGTERM stops it (the shutdown hook closes the sockets)
        }
    }
}
