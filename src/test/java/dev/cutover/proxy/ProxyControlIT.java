package dev.cutover.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.Secret;
import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.testing.Servers;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The control channel as a hostile peer meets it: plain text, wrong certificates and tokens, floods, long lines. */
class ProxyControlIT {
    @RegisterExtension
    final Servers servers = new Servers();
    @RegisterExtension
    final ProxyClients open = new ProxyClients();
    @TempDir
    Path dir;

    private ProxyServer tcpProxy(LocalServer server, Secret token) {
        return open.proxy(ProxyOptions.of("127.0.0.1:0", server.uri())
                .withControl(new ControlEndpoint.Tcp("127.0.0.1", 0, token)));
    }

    @Test
    void tcpControlSpeaksTlsWithThePrintedCertificateAndTheToken() {
        LocalServer server = servers.start(Flavour.VALKEY_9);
        Secret token = Secret.of("s3cret-token");
        ProxyServer proxy = tcpProxy(server, token);
        String address = proxy.controlAddress().orElseThrow();
        Optional<String> fingerprint = proxy.controlFingerprint();
        assertTrue(fingerprint.orElseThrow().matches("[0-9a-f]{64}"), fingerprint.toString());

        CutoverException noPin = assertThrows(CutoverException.Usage.class,
                () -> ProxyControl.connect(address, Optional.of(token), Optional.empty()));
        assertTrue(noPin.getMessage().contains("--fingerprint"), noPin.getMessage());
        String other = "00".repeat(32);
        CutoverException wrongPin = assertThrows(CutoverException.Connection.class,
                () -> ProxyControl.connect(address, Optional.of(token), Optional.of(other)));
        assertTrue(wrongPin.getMessage().contains("not the one whose fingerprint you gave"), wrongPin.getMessage());
        CutoverException refused = assertThrows(CutoverException.Connection.class,
                () -> ProxyControl.connect(address, Optional.of(Secret.of("wrong")), fingerprint));
        assertTrue(refused.getMessage().contains("refused the control token"), refused.getMessage());
        assertThrows(CutoverException.Connection.class, () -> ProxyControl.connect(address, Optional.empty(), fingerprint));

        String colons = fingerprint.get().toUpperCase().replaceAll("(..)(?!$)", "$1:");
        try (ProxyControl control = ProxyControl.connect(address, Optional.of(token), Optional.of(colons))) {
            assertTrue(control.status().upstream().endsWith(":" + server.port()));
            HoldResult hold = control.hold(Duration.ofSeconds(30));
            assertTrue(hold.until().isAfter(hold.since()));
            assertTrue(control.release().wasHolding());
            CutoverException bad = assertThrows(CutoverException.Usage.class, () -> control.switchTo("http://x", Optional.empty()));
            assertTrue(bad.getMessage().contains("unsupported scheme"), bad.getMessage());
        }
    }

    @Test
    void aPlainTextClientLearnsNothing() throws Exception {
        LocalServer server = servers.start(Flavour.VALKEY_9);
        ProxyServer proxy = tcpProxy(server, Secret.of("s3cret-token"));
        int port = Integer.parseInt(proxy.controlAddress().orElseThrow().replaceAll(".*:", ""));
        try (Socket plain = new Socket("127.0.0.1", port)) {
            plain.setSoTimeout(15_000);
            plain.getOutputStream().write("{\"op\":\"hello\",\"token\":\"s3cret-token\"}\n{\"op\":\"status\"}\n"
                    .getBytes(StandardCharsets.UTF_8));
            byte[] got = plain.getInputStream().readNBytes(4096);
            String text = new String(got, StandardCharsets.ISO_8859_1);
            assertFalse(text.contains("cutover") || text.contains("upstream") || text.contains("\"ok\""), text);
            assertTrue(got.length < 16, "at most a TLS alert, got " + got.length + " bytes");
        }
        assertControlWorks(proxy, Secret.of("s3cret-token"));
    }

    @Test
    void helloFloodsLongLinesAndSilentPeersLeaveTheControlUsable() throws Exception {
        LocalServer server = servers.start(Flavour.VALKEY_9);
        Path socket = dir.resolve("run/proxy.sock");
        ProxyServer proxy = open.proxy(ProxyOptions.of("127.0.0.1:0", server.uri())
                .withControl(new ControlEndpoint.Unix(socket)));
        List<java.nio.channels.SocketChannel> silent = new ArrayList<>();
        try {
            for (int i = 0; i < ControlServer.MAX_GREETING * 3; i++) {
                silent.add(java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket)));
            }
            // a peer past the greeting limit is closed at once; the others time out: then a session gets in
            dev.cutover.testing.Eventually.await(() -> {
                try (ProxyControl c = ProxyControl.connect("unix:" + socket, Optional.empty(), Optional.empty())) {
                    return c.status() != null;
                } catch (CutoverException e) {
                    return false;
                }
            }, "a session gets in once the silent peers' hello deadline passed");
        } finally {
            for (var c : silent) {
                c.close();
            }
        }
        try (var c = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
            OutputStream out = java.nio.channels.Channels.newOutputStream(c);
            InputStream in = java.nio.channels.Channels.newInputStream(c);
            byte[] chunk = "a".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            try {
                for (int i = 0; i < 64; i++) { // 4 MiB of one hello line, no '\n'
                    out.write(chunk);
                }
            } catch (java.io.IOException closed) {
                // the proxy hung up past its hello limit: what the test wants
            }
            int end;
            try {
                end = in.read();
            } catch (java.io.IOException reset) {
                end = -1; // closed with our bytes unread: a reset
            }
            assertEquals(-1, end, "the proxy closes a connection whose hello line has no end");
        }
        try (ProxyControl c = ProxyControl.connect("unix:" + socket, Optional.empty(), Optional.empty())) {
            assertEquals(proxy.address().getPort(), Integer.parseInt(c.status().listen().replaceAll(".*:", "")));
        }
    }

    @Test
    void unixSocketsAreTheOwnersOnlyInAPrivateDirectory() throws Exception {
        LocalServer server = servers.start(Flavour.VALKEY_9);
        Path socket = dir.resolve("fresh/run/proxy.sock");
        ProxyServer proxy = open.proxy(ProxyOptions.of("127.0.0.1:0", server.uri())
                .withControl(new ControlEndpoint.Unix(socket)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));
        try (var entries = Files.list(socket.getParent())) {
            assertEquals(List.of(socket), entries.toList(), "no staging directory is left beside the socket");
        }
        try (ProxyControl control = ProxyControl.connect("unix:" + socket, Optional.empty(), Optional.empty())) {
            assertEquals(proxy.address().getPort(), Integer.parseInt(control.status().listen().replaceAll(".*:", "")));
        }
        CutoverException inUse = assertThrows(CutoverException.Precondition.class, () -> ProxyServer.start(
                ProxyOptions.of("127.0.0.1:0", server.uri()).withControl(new ControlEndpoint.Unix(socket))));
        assertTrue(inUse.getMessage().contains("is in use"), inUse.getMessage());

        Path shared = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        CutoverException open = assertThrows(CutoverException.Precondition.class, () -> ProxyServer.start(
                ProxyOptions.of("127.0.0.1:0", server.uri()).withControl(new ControlEndpoint.Unix(shared.resolve("p.sock")))));
        assertTrue(open.getMessage().contains("may be written by other users"), open.getMessage());
        try (var entries = Files.list(shared)) {
            assertEquals(0, entries.count(), "a refused start leaves nothing behind");
        }
    }

    private static void assertControlWorks(ProxyServer proxy, Secret token) {
        try (ProxyControl c = ProxyControl.connect(proxy.controlAddress().orElseThrow(), Optional.of(token),
                proxy.controlFingerprint())) {
            assertTrue(c.status().upstream().contains(":"));
        }
    }
}
