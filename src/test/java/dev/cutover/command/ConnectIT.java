package dev.cutover.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.ExitCode;
import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.local.ServerSpec;
import dev.cutover.testing.Servers;
import dev.cutover.testing.TestCerts;
import dev.cutover.testing.TestShell;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** connect against real servers: what it reports, and every way it can fail. */
class ConnectIT {
    private static final String PASSWORD = "s3cr3t-Pa55word";

    @RegisterExtension
    final Servers servers = new Servers();

    @TempDir
    Path home;

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void reportsKindVersionRdbAndCapabilities(Flavour flavour) {
        LocalServer server = servers.start(flavour);
        try (TestShell shell = new TestShell(home)) {
            var r = shell.run("connect source " + server.uri(),
                    "source.call('SET', 'a', '1')", "status");
            assertEquals(0, r.code(), r.all());
            assertTrue(r.out().contains(flavour.kind().display() + " " + flavour.display().split(" ")[1] + "."), r.out());
            assertTrue(r.out().contains("primary"), r.out());
            assertTrue(r.out().contains("db0=1"), r.out());
            int rdb = switch (flavour) {
                case REDIS_7 -> 10;
                case REDIS_8 -> 12;
                case REDIS_86 -> 13;
                case VALKEY_8 -> 11;
                case VALKEY_9 -> 80;
            };
            assertTrue(r.out().contains("writes RDB " + rdb), r.out());
            assertTrue(r.out().contains("CLIENT PAUSE WRITE       yes"), r.out());
            assertTrue(r.out().contains("REPLICAOF                yes"), r.out());
            assertTrue(r.out().contains("SYNC/PSYNC               yes"), r.out());
            assertTrue(r.out().contains("DUMP/RESTORE             yes"), r.out());
            assertTrue(r.out().contains("state    connected"), r.out());
        }
    }

    @Test
    void jsonPrintsOneObject() throws Exception {
        LocalServer server = servers.start(Flavour.REDIS_7);
        try (TestShell shell = new TestShell(home)) {
            var r = shell.run("connect source " + server.uri() + " --json");
            assertEquals(0, r.code(), r.all());
            var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
            assertEquals("connect", node.get("command").asText());
            assertEquals("Redis", node.get("kind").asText());
            assertEquals(10, node.get("rdbWritten").asInt());
            assertEquals("yes", node.at("/capabilities/replicaof/status").asText());
        }
    }

    @Test
    void passwordFromUriEnvOrNoneAndNeverShown() throws IOException {
        LocalServer server = servers.start(ServerSpec.of(Flavour.REDIS_7).withPassword(PASSWORD));
        try (TestShell shell = new TestShell(home, Map.of("SRC_PW", PASSWORD, "BAD_PW", "nope"), false, false)) {
            var ok = shell.run("connect source redis://:" + PASSWORD + "@127.0.0.1:" + server.port());
            assertEquals(0, ok.code(), ok.all());
            assertTrue(ok.out().contains("redis://:***@127.0.0.1:" + server.port()), ok.out());

            var env = shell.run("connect target " + server.uri() + " --password-env SRC_PW");
            assertEquals(0, env.code(), env.all());

            var wrong = shell.run("connect target " + server.uri() + " --password-env BAD_PW --replace");
            assertEquals(ExitCode.CONNECTION, wrong.code(), wrong.all());
            assertTrue(wrong.err().contains("rejected the user name or password"), wrong.err());

            var none = shell.run("connect target " + server.uri() + " --replace");
            assertEquals(ExitCode.CONNECTION, none.code(), none.all());
            assertTrue(none.err().contains("requires a password (NOAUTH)"), none.err());

            var unset = shell.run("connect target " + server.uri() + " --password-env NOT_SET_ANYWHERE --replace");
            assertEquals(ExitCode.USAGE, unset.code(), unset.all());
            assertTrue(unset.err().contains("NOT_SET_ANYWHERE"), unset.err());

            shell.run("journal");
            assertFalse(shell.everything().contains(PASSWORD), "the password leaked: " + shell.everything());
        }
    }

    /**
     * A server whose first connection closes before it answers (as when the client library loses
     * the reply to a wrong password) and whose next one answers AUTH with WRONGPASS: the operator
     * is told the password is wrong, not that the server closed the connection.
     */
    @Test
    void aWrongPasswordIsNamedEvenWhenTheHandshakeReplyIsLost() throws Exception {
        try (TestShell shell = new TestShell(home, Map.of("BAD_PW", "nope"), false, false);
             ServerSocket fake = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (java.net.Socket first = fake.accept()) {
                    first.getInputStream().read(new byte[256]); // the handshake begins; no answer comes
                } catch (IOException ignored) {
                    return;
                }
                try (java.net.Socket second = fake.accept()) {
                    var in = new java.io.DataInputStream(new java.io.BufferedInputStream(second.getInputStream()));
                    var out = second.getOutputStream();
                    while (true) {
                        List<String> args = RawCommand.read(in);
                        if (args == null) {
                            return;
                        }
                        out.write((args.get(0).equalsIgnoreCase("AUTH")
                                ? "-WRONGPASS invalid username-password pair or user is disabled.\r\n"
                                : "+PONG\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        out.flush();
                    }
                } catch (IOException ignored) {
                    // the test is over
                }
            });
            server.setDaemon(true);
            server.start();
            var r = shell.run("connect target redis://127.0.0.1:" + fake.getLocalPort() + " --password-env BAD_PW");
            assertEquals(ExitCode.CONNECTION, r.code(), r.all());
            assertTrue(r.err().contains("rejected the user name or password"), r.err());
            assertFalse(r.all().contains("nope"), r.all());
        }
    }

    /** Reads one RESP command (an array of bulk strings); null at the end of the stream. */
    private static final class RawCommand {
        static List<String> read(java.io.DataInputStream in) throws IOException {
            String header = line(in);
            if (header == null) {
                return null;
            }
            int n = Integer.parseInt(header.substring(1));
            List<String> args = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                int len = Integer.parseInt(line(in).substring(1));
                byte[] data = new byte[len + 2];
                in.readFully(data);
                args.add(new String(data, 0, len, java.nio.charset.StandardCharsets.UTF_8));
            }
            return args;
        }

        private static String line(java.io.DataInputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    return null;
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }
    }

    @Test
    void aclUserWithoutPermissionsIsNamed() {
        LocalServer server = servers.start(ServerSpec.of(Flavour.VALKEY_9).withConfig(List.of(
                "user limited on >limitedpw ~* -@all +ping +hello +auth +client")));
        try (TestShell shell = new TestShell(home)) {
            var r = shell.run("connect source redis://limited:limitedpw@127.0.0.1:" + server.port());
            assertEquals(ExitCode.CONNECTION, r.code(), r.all());
            assertTrue(r.err().contains("lacks permission"), r.err());
            assertTrue(r.err().contains("ACL"), r.err());
            assertFalse(r.all().contains("limitedpw"), r.all());
        }
    }

    @Test
    void refusedPortUnknownHostAndSilentServer() throws IOException {
        try (TestShell shell = new TestShell(home);
             ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int closedPort;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closedPort = s.getLocalPort();
            }
            var refused = shell.run("connect source redis://127.0.0.1:" + closedPort);
            assertEquals(ExitCode.CONNECTION, refused.code(), refused.all());
            assertTrue(refused.err().contains("refused the connection"), refused.err());
            assertTrue(refused.err().contains(String.valueOf(closedPort)), refused.err());

            var unknown = shell.run("connect source redis://no-such-host.invalid:6379");
            assertEquals(ExitCode.CONNECTION, unknown.code(), unknown.all());
            assertTrue(unknown.err().contains("cannot resolve the source host 'no-such-host.invalid'"), unknown.err());

            // Accepts TCP but never answers RESP: the handshake times out.
            var timeout = shell.run("connect target redis://127.0.0.1:" + silent.getLocalPort() + " --timeout 300ms");
            assertEquals(ExitCode.CONNECTION, timeout.code(), timeout.all());
            assertTrue(timeout.err().contains("did not answer within 300ms"), timeout.err());
            assertEquals("idle", shell.runtime().session().state().label());
        }
    }

    @Test
    void malformedInputIsAUsageError() {
        try (TestShell shell = new TestShell(home)) {
            var scheme = shell.run("connect source http://127.0.0.1:6379");
            assertEquals(ExitCode.USAGE, scheme.code(), scheme.all());
            assertTrue(scheme.err().contains("unsupported scheme 'http://'"), scheme.err());

            var shape = shell.run("connect source localhost:6379");
            assertEquals(ExitCode.USAGE, shape.code());
            assertTrue(shape.err().contains("is not a server URI"), shape.err());

            var role = shell.run("connect middle redis://127.0.0.1:6379");
            assertEquals(ExitCode.USAGE, role.code());
            assertTrue(role.err().contains("use source or target"), role.err());

            var missing = shell.run("connect source");
            assertEquals(ExitCode.USAGE, missing.code());
            assertTrue(missing.err().contains("usage: connect"), missing.err());

            var leaked = shell.run("connect source redis://u:hunter2@127.0.0.1:99999");
            assertEquals(ExitCode.USAGE, leaked.code());
            assertFalse(leaked.all().contains("hunter2"), leaked.all());
        }
    }

    @Test
    void reconnectingARoleNeedsReplace() {
        LocalServer a = servers.start(Flavour.REDIS_7);
        LocalServer b = servers.start(Flavour.REDIS_7);
        try (TestShell shell = new TestShell(home)) {
            assertEquals(0, shell.run("connect source " + a.uri()).code());
            var refused = shell.run("connect source " + b.uri());
            assertEquals(ExitCode.PRECONDITION, refused.code(), refused.all());
            assertTrue(refused.err().contains("already connected to redis://127.0.0.1:" + a.port()), refused.err());
            assertTrue(refused.err().contains("--replace"), refused.err());
            var replaced = shell.run("connect source " + b.uri() + " --replace");
            assertEquals(0, replaced.code(), replaced.all());
            assertEquals(b.port(), shell.runtime().session().uri(dev.cutover.endpoint.Role.SOURCE).orElseThrow().port());
        }
    }

    @Test
    void tlsWithCaInsecureAndMismatches(@TempDir Path certs) throws Exception {
        LocalServer server = servers.start(ServerSpec.of(Flavour.REDIS_7).withTls(TestCerts.generate(certs)));
        String ca = certs.resolve("ca.crt").toString();
        try (TestShell shell = new TestShell(home)) {
            var ok = shell.run("connect source rediss://127.0.0.1:" + server.port() + " --cacert " + ca);
            assertEquals(0, ok.code(), ok.all());
            assertTrue(ok.out().contains("Redis 7.0"), ok.out());

            var untrusted = shell.run("connect target rediss://127.0.0.1:" + server.port());
            assertEquals(ExitCode.CONNECTION, untrusted.code(), untrusted.all());
            assertTrue(untrusted.err().contains("TLS handshake with target"), untrusted.err());
            assertTrue(untrusted.err().contains("--cacert"), untrusted.err());

            var insecure = shell.run("connect target valkeys://127.0.0.1:" + server.port() + " --insecure");
            assertEquals(0, insecure.code(), insecure.all());

            var plain = shell.run("connect target redis://127.0.0.1:" + server.port() + " --replace --timeout 2s");
            assertEquals(ExitCode.CONNECTION, plain.code(), plain.all());
            assertTrue(plain.err().contains("target 127.0.0.1:" + server.port()), plain.err());

            var missingCa = shell.run("connect target rediss://127.0.0.1:" + server.port() + " --cacert /no/such/ca.pem --replace");
            assertEquals(ExitCode.USAGE, missingCa.code(), missingCa.all());
        }
    }
}
