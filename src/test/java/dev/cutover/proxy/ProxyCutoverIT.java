package dev.cutover.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.ExitCode;
import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.testing.Eventually;
import dev.cutover.testing.Redis;
import dev.cutover.testing.Servers;
import dev.cutover.testing.TestShell;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The "through a proxy" cutover from the shell: scripts/cutover-via-proxy.js under client load. */
class ProxyCutoverIT {
    @RegisterExtension
    final Servers servers = new Servers();

    @TempDir
    Path home;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Path script() {
        return Path.of(System.getenv().getOrDefault("CUTOVER_PROJECT_DIR", "."), "scripts", "cutover-via-proxy.js");
    }

    @Test
    void theScriptMovesEveryClientToTheTargetWithNoErrorAndNoLostWrite() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_8);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        int port = freePort();
        try (Redis tgt = new Redis(target); TestShell shell = new TestShell(home, Map.of(), false, false, true)) {
            var started = shell.run("connect source " + source.uri(), "connect target " + target.uri(),
                    "proxy start --listen 127.0.0.1:" + port);
            assertEquals(0, started.code(), started.all());
            try (ProxyLoad load = new ProxyLoad(new InetSocketAddress("127.0.0.1", port), 4)) {
                Eventually.await(() -> load.acknowledgedCount() >= 2_000, "clients write through the proxy");
                var run = shell.run("run " + script() + " --arg source=" + source.uri() + " --arg target=" + target.uri()
                        + "");
                assertEquals(0, run.code(), run.all());
                assertTrue(run.out().contains("the proxy moved 4 client connection(s)"), run.out());
                assertTrue(run.out().contains("write pause max"), run.out());
                assertTrue(run.out().contains("(4 of 4 target connection(s) opened before it)"),
                        "freeze-writes had the proxy open them before writes were held: " + run.out());
                int atSwitch = load.acknowledgedCount();
                Eventually.await(() -> load.acknowledgedCount() >= atSwitch + 2_000, "clients go on, on the target");
                Map<String, String> acknowledged = load.stop();
                assertTrue(load.errors().isEmpty(), "a client saw an error: " + load.errors());
                acknowledged.forEach((k, v) -> assertEquals(v, tgt.sync().get(k), "acknowledged write lost: " + k));
            }
            var whole = shell.run("status");
            assertTrue(whole.out().contains("proxy    a proxy inside this shell, listening on 127.0.0.1:" + port), whole.out());
            var status = shell.run("proxy status --json");
            assertTrue(status.out().contains("\"upstream\":\"redis://" + target.host() + ":" + target.port() + "\""),
                    status.out());
            assertTrue(tgt.info("replication").contains("role:master"));
        }
    }

    @Test
    void aSessionAttachesToAProxyThatOutlivesIt() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_9);
        Path control = home.resolve("proxy.sock");
        int port = freePort();
        try (ProxyServer proxy = ProxyServer.start(ProxyOptions.of("127.0.0.1:" + port, source.uri())
                .withControl(new ControlEndpoint.Unix(control)))) {
            try (TestShell shell = new TestShell(home)) {
                var attached = shell.run("connect proxy unix:" + control, "proxy status");
                assertEquals(0, attached.code(), attached.all());
                assertTrue(attached.out().contains("attached to the proxy at unix:" + control), attached.out());
                var noHold = shell.run("connect source " + source.uri(), "repoint --via proxy --yes");
                assertEquals(ExitCode.PRECONDITION, noHold.code(), noHold.all());
                assertTrue(noHold.err().contains("writes are not held in the proxy"), noHold.err());
            }
            // Leaving the shell detached from the proxy; it goes on forwarding.
            try (Redis viaProxy = new Redis(source)) {
                assertEquals("PONG", viaProxy.sync().ping());
            }
            assertTrue(proxy.status().upstreamState() instanceof UpstreamState.Reachable);
        }
    }

    @Test
    void withoutAProxyTheProxyStepsSaySoAndChangeNothing() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_9);
        try (TestShell shell = new TestShell(home)) {
            shell.run("connect source " + source.uri());
            var freeze = shell.run("freeze-writes --via proxy --yes");
            assertEquals(ExitCode.PRECONDITION, freeze.code(), freeze.all());
            assertTrue(freeze.err().contains("no cutover proxy in this session"), freeze.err());
            var unpinned = shell.run("connect proxy 127.0.0.1:1");
            assertEquals(ExitCode.USAGE, unpinned.code(), unpinned.all());
            assertTrue(unpinned.err().contains("--fingerprint"), unpinned.err());
            var unreachable = shell.run("connect proxy 127.0.0.1:1 --fingerprint " + "ab".repeat(32));
            assertEquals(ExitCode.CONNECTION, unreachable.code(), unreachable.all());
            assertEquals("connected", shell.runtime().session().state().label());
        }
    }

    @Test
    void aHoldThatLapsedAtItsMaxIsNotTakenForAFreeze() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_8);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        int port = freePort();
        try (Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            var r = shell.run("connect source " + source.uri(), "connect target " + target.uri(),
                    "proxy start --listen 127.0.0.1:" + port, "replicate", "freeze-writes --via proxy --max 1s --yes");
            assertEquals(0, r.code(), r.all());
            var busy = shell.run("proxy stop");
            assertEquals(ExitCode.PRECONDITION, busy.code(), busy.all());
            Thread.sleep(2_500); // the proxy released the writes to the source by itself
            var refused = shell.run("repoint --via proxy --yes");
            assertEquals(ExitCode.PRECONDITION, refused.code(), refused.all());
            assertTrue(refused.err().contains("the proxy's hold has lapsed"), refused.err());
            assertTrue(tgt.info("replication").contains("role:slave"), "a refused repoint promoted the target");
        }
    }

    @Test
    void movesClientsToATlsTargetTrustingTheCaGivenToConnect() throws Exception {
        Path certs = java.nio.file.Files.createDirectories(home.resolve("certs"));
        LocalServer source = servers.start(Flavour.VALKEY_8);
        LocalServer target = servers.start(dev.cutover.local.ServerSpec.of(Flavour.VALKEY_9)
                .withTls(dev.cutover.testing.TestCerts.generate(certs)).withConfig(java.util.List.of("tls-replication no")));
        int port = freePort();
        try (Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            var r = shell.run("connect source " + source.uri(), "connect target " + target.uri() + " --cacert "
                    + certs.resolve("ca.crt"), "proxy start --listen 127.0.0.1:" + port, "replicate");
            assertEquals(0, r.code(), r.all());
            try (ProxyLoad load = new ProxyLoad(new InetSocketAddress("127.0.0.1", port), 2)) {
                Eventually.await(() -> load.acknowledgedCount() >= 1_000, "clients write through the proxy");
                long before = tgt.infoNumber("clients", "connected_clients");
                var freeze = shell.run("freeze-writes --via proxy --yes");
                assertEquals(0, freeze.code(), freeze.all());
                assertEquals(before + 2, tgt.infoNumber("clients", "connected_clients"),
                        "before holding writes, the proxy opened a TLS connection to the target for each client");
                var cut = shell.run("repoint --via proxy --yes", "stop --demote-source --yes");
                assertEquals(0, cut.code(), cut.all());
                assertTrue(cut.out().contains("(2 of 2 target connection(s) opened before it)"), cut.out());
                int atSwitch = load.acknowledgedCount();
                Eventually.await(() -> load.acknowledgedCount() >= atSwitch + 1_000, "clients go on, over TLS");
                Map<String, String> acknowledged = load.stop();
                assertTrue(load.errors().isEmpty(), "a client saw an error: " + load.errors());
                acknowledged.forEach((k, v) -> assertEquals(v, tgt.sync().get(k), "acknowledged write lost: " + k));
            }
        }
    }
}
