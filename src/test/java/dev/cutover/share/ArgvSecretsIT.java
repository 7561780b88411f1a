package dev.cutover.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.local.ServerSpec;
import dev.cutover.testing.Eventually;
import dev.cutover.testing.Servers;
import dev.cutover.testing.TestShell;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ps -eo args} shows while a participant is attached and a proxy runs with a control
 * token and upstream credentials: no secret, in any process's argv, launcher and JVM included.
 */
class ArgvSecretsIT {
    private static final Path PROJECT = Path.of("").toAbsolutePath();

    @RegisterExtension
    final Servers servers = new Servers();

    @TempDir
    Path home;

    /** Every process's command line, as ps -eo args prints it (NULs as spaces). */
    static List<String> everyArgv() throws IOException {
        List<String> all = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    all.add(new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' '));
                } catch (IOException gone) {
                    // the process ended while we looked
                }
            }
        }
        return all;
    }

    static void assertNoArgvHolds(String secret) throws IOException {
        List<String> argv = everyArgv();
        assertTrue(argv.stream().anyMatch(a -> a.contains("java")), "no java process in /proc: the scan saw nothing");
        for (String a : argv) {
            assertFalse(a.contains(secret), "a process's argv holds a secret: " + a.replace(secret, "<secret>"));
        }
    }

    @Test
    void anAttachedParticipantsTokenIsInNoArgv() throws Exception {
        Path socket = home.resolve("s.sock");
        try (TestShell owner = new TestShell(home, Map.of("XDG_RUNTIME_DIR", home.resolve("run").toString()), false, false)) {
            var shared = owner.run("share --socket " + socket);
            String token = ShareIT.token(shared.out(), "operator");
            Path mine = home.resolve("my.token");
            Files.writeString(mine, token + "\n");
            Files.setPosixFilePermissions(mine, PosixFilePermissions.fromString("rw-------"));

            Process attach = new ProcessBuilder(PROJECT.resolve("bin/cutover").toString(), "--name", "argv-check", "attach",
                    socket.toString(), "--token-file", mine.toString()).redirectErrorStream(true).start();
            try {
                Eventually.await(() -> owner.runtime().sharing().who().size() == 2, "the attach process joined");
                assertNoArgvHolds(token);
                attach.getOutputStream().write("print('from ' + 'argv-check')\n".getBytes(StandardCharsets.UTF_8));
                attach.getOutputStream().flush();
                Eventually.await(() -> {
                    try {
                        return owner.everything().contains("from argv-check");
                    } catch (IOException e) {
                        return false;
                    }
                }, "its line ran");
                attach.getOutputStream().close();
                assertTrue(attach.waitFor(60, TimeUnit.SECONDS), "attach did not end with its input");
            } finally {
                attach.destroyForcibly();
            }

            Process onArgv = new ProcessBuilder(PROJECT.resolve("bin/cutover").toString(), "--name", "x", "attach",
                    socket.toString(), "--token", token).redirectErrorStream(true).start();
            String said = new String(onArgv.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(2, onArgv.waitFor(), said);
            assertTrue(said.contains("a token on the command line is visible to every user in 'ps'"), said);
            assertFalse(said.contains(token), said);

            Files.setPosixFilePermissions(mine, PosixFilePermissions.fromString("rw-r--r--"));
            Process readable = new ProcessBuilder(PROJECT.resolve("bin/cutover").toString(), "--name", "x", "attach",
                    socket.toString(), "--token-file", mine.toString()).redirectErrorStream(true).start();
            String refused = new String(readable.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(3, readable.waitFor(), refused);
            assertTrue(refused.contains("can be read by others"), refused);
        }
    }

    @Test
    void aProxyWithAControlTokenAndUpstreamPasswordHasNeitherInArgv() throws Exception {
        String upstreamPassword = "Upstream-pw-" + Long.toHexString(System.nanoTime());
        String controlToken = "control-token-" + Long.toHexString(System.nanoTime());
        LocalServer server = servers.start(ServerSpec.of(Flavour.VALKEY_9).withPassword(upstreamPassword));
        int port;
        int control;
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
            port = a.getLocalPort();
            control = b.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(PROJECT.resolve("bin/cutover").toString(), "--json", "proxy",
                "--listen", "127.0.0.1:" + port, "--upstream", server.uri(), "--upstream-password-env", "UP_PASS",
                "--control", "127.0.0.1:" + control, "--token-env", "CTL_TOKEN", "--status-every", "0")
                .redirectErrorStream(true);
        pb.environment().put("UP_PASS", upstreamPassword);
        pb.environment().put("CTL_TOKEN", controlToken);
        Process proxy = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(proxy.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            String line;
            while ((line = out.readLine()) != null && !line.contains("\"listening\"")) {
                seen.append(line).append('\n'); // the launcher may build first
            }
            assertTrue(line != null, "the proxy never said it listens: " + seen);
            seen.append(line);
            assertNoArgvHolds(upstreamPassword);
            assertNoArgvHolds(controlToken);
            assertFalse(seen.toString().contains(upstreamPassword) || seen.toString().contains(controlToken), seen.toString());
        } finally {
            proxy.destroy();
            proxy.waitFor(30, TimeUnit.SECONDS);
            proxy.destroyForcibly();
        }
    }
}
