package dev.cutover.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.CutoverException;
import dev.cutover.ExitCode;
import dev.cutover.endpoint.Redaction;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;

/**
 * The proxy's control endpoint: JSON lines over a Unix socket (mode 0600) or TCP. Every
 * connection starts with {@code {"op":"hello","token":…}}; over TCP a wrong token ends it. Then
 * {@code status}, {@code hold} (maxMs), {@code release}, {@code switch} (target, user, password, and for a TLS
 * target cacertPem, cacert or insecure),
 * each answered by one line: {@code {"ok":true,…}} or {@code {"ok":false,"error":…,"exitCode":…}}.
 */
final class ControlServer implements AutoCloseable {
    private final ServerSocketChannel server;
    private final ControlEndpoint endpoint;
    private final Path socket;

    private ControlServer(ServerSocketChannel server, ControlEndpoint endpoint, Path socket) {
        this.server = server;
        this.endpoint = endpoint;
        this.socket = socket;
    }

    static ControlServer open(ControlEndpoint endpoint) {
        try {
            return switch (endpoint) {
                case ControlEndpoint.Unix u -> {
                    Path path = u.path().toAbsolutePath();
                    Files.createDirectories(path.getParent());
                    if (Files.exists(path)) {
                        if (live(path)) {
                            throw CutoverException.precondition("the control socket " + path
                                    + " is in use: another proxy runs there");
                        }
                        Files.delete(path);
                    }
                    ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                    channel.bind(UnixDomainSocketAddress.of(path));
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
                    yield new ControlServer(channel, endpoint, path);
                }
                case ControlEndpoint.Tcp t -> {
                    ServerSocketChannel channel = ServerSocketChannel.open();
                    channel.bind(new InetSocketAddress(t.host(), t.port()));
                    yield new ControlServer(channel, endpoint, null);
                }
            };
        } catch (IOException e) {
            throw CutoverException.precondition("cannot open the control endpoint " + endpoint + ": " + e.getMessage());
        }
    }

    private static boolean live(Path path) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return probe.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    String address() {
        if (socket != null) {
            return "unix:" + socket;
        }
        try {
            InetSocketAddress a = (InetSocketAddress) server.getLocalAddress();
            return new HostPort(a.getHostString(), a.getPort()).toString();
        } catch (IOException e) {
            return endpoint.toString();
        }
    }

    void serve(ProxyServer proxy) {
        Thread.ofPlatform().daemon().name("proxy-control").start(() -> {
            while (server.isOpen()) {
                try {
                    SocketChannel channel = server.accept();
                    Thread.ofVirtual().name("proxy-control-session").start(() -> session(channel, proxy));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void session(SocketChannel channel, ProxyServer proxy) {
        try (channel; BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                StandardCharsets.UTF_8))) {
            OutputStream out = Channels.newOutputStream(channel);
            JsonNode hello = ControlCodec.parse(String.valueOf(in.readLine()));
            if (!hello.path("op").asText().equals("hello")) {
                send(out, error("the first message must be hello", ExitCode.USAGE));
                return;
            }
            if (endpoint instanceof ControlEndpoint.Tcp tcp && !MessageDigest.isEqual(
                    tcp.token().reveal().getBytes(StandardCharsets.UTF_8),
                    hello.path("token").asText().getBytes(StandardCharsets.UTF_8))) {
                send(out, error("the proxy refused the control token", ExitCode.CONNECTION));
                return;
            }
            send(out, ControlCodec.object().put("ok", true).put("proxy", "cutover").put("protocol", 1));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                send(out, handle(ControlCodec.parse(line), proxy));
            }
        } catch (IOException | IllegalArgumentException e) {
            // that session's connection broke or spoke something else: the proxy goes on
        }
    }

    private static boolean hasTrust(JsonNode request) {
        return request.has("cacertPem") || request.has("cacert") || request.has("insecure");
    }

    /** A switch's own trust for a TLS target: inline PEM (cacertPem), a PEM file here (cacert), or insecure. */
    private static UpstreamTrust trust(JsonNode request) {
        if (request.path("insecure").asBoolean(false)) {
            return UpstreamTrust.insecureTrust();
        }
        if (request.hasNonNull("cacertPem")) {
            return UpstreamTrust.caPem(request.path("cacertPem").asText());
        }
        if (request.hasNonNull("cacert")) {
            return UpstreamTrust.caFile(java.nio.file.Path.of(request.path("cacert").asText()));
        }
        return UpstreamTrust.defaults();
    }

    private static ObjectNode handle(JsonNode request, ProxyServer proxy) {
        try {
            ObjectNode ok = ControlCodec.object().put("ok", true);
            switch (request.path("op").asText()) {
                case "status" -> ok.set("status", ControlCodec.status(proxy.status()));
                case "hold" -> ok.set("hold", ControlCodec.hold(proxy.hold(Duration.ofMillis(request.path("maxMs").asLong()))));
                case "release" -> ok.set("release", ControlCodec.release(proxy.release()));
                case "prepare" -> ok.put("prepared", proxy.prepare(request.path("target").asText(),
                        hasTrust(request) ? trust(request) : proxy.options().upstreamTrust()));
                case "switch" -> {
                    Optional<Credentials> credentials = request.hasNonNull("password")
                            ? Optional.of(Credentials.of(request.path("user").asText(null), request.path("password").asText()))
                            : Optional.empty();
                    String target = request.path("target").asText();
                    ok.set("switch", ControlCodec.switched(hasTrust(request)
                            ? proxy.switchTo(target, credentials, trust(request))
                            : proxy.switchTo(target, credentials)));
                }
                default -> {
                    return error("unknown control operation '" + request.path("op").asText() + "'", ExitCode.USAGE);
                }
            }
            return ok;
        } catch (CutoverException e) {
            return error(e.getMessage(), e.exitCode());
        } catch (RuntimeException e) {
            return error("internal error: " + e, ExitCode.STEP_FAILED);
        }
    }

    private static ObjectNode error(String message, int exitCode) {
        return ControlCodec.object().put("ok", false).put("error", Redaction.line(message)).put("exitCode", exitCode);
    }

    private static void send(OutputStream out, JsonNode message) throws IOException {
        out.write((ControlCodec.line(message) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        try {
            server.close();
            if (socket != null) {
                Files.deleteIfExists(socket);
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
