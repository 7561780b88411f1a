package dev.cutover.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.CutoverException;
import dev.cutover.ExitCode;
import dev.cutover.endpoint.Redaction;
import dev.cutover.trust.BoundedLines;
import dev.cutover.trust.PrivateSocket;
import dev.cutover.trust.SelfSignedIdentity;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLServerSocket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;

/**
 * The proxy's control endpoint: JSON lines over a Unix socket only its owner can open (0600 from
 * the moment it exists), or over TLS on TCP with a self-signed certificate made at start, whose
 * fingerprint the proxy prints and sessions pin. Every connection starts with
 * {@code {"op":"hello","token":…}} within {@link #HELLO_TIMEOUT} and {@link #HELLO_MAX} bytes;
 * over TCP a wrong token ends it. Then {@code status}, {@code hold} (maxMs), {@code release},
 * {@code switch} (target, user, password, and for a TLS target cacertPem, cacert or insecure),
 * each answered by one line: {@code {"ok":true,…}} or {@code {"ok":false,"error":…,"exitCode":…}}.
 * At most {@link #MAX_GREETING} connections may be waiting to say hello at once; more are closed.
 */
final class ControlServer implements AutoCloseable {
    static final Duration HELLO_TIMEOUT = Duration.ofSeconds(10);
    static final int HELLO_MAX = 4096;
    static final int REQUEST_MAX = 1 << 20;
    static final int MAX_GREETING = 64;

    private final Listener listener;
    private final ControlEndpoint endpoint;
    private final Path socket;
    private final String fingerprint;
    private final java.util.concurrent.Semaphore greeting = new java.util.concurrent.Semaphore(MAX_GREETING);
    private final java.util.concurrent.ScheduledExecutorService deadlines =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                    .name("proxy-control-deadline").unstarted(r));

    /** A connection of either kind, as a session needs it. */
    private record Link(InputStream in, OutputStream out, Closeable connection) {
    }

    /** Where connections come from: a Unix socket channel, or a TLS server socket. */
    private sealed interface Listener extends Closeable {
        Link accept() throws IOException;

        boolean isOpen();

        record Unix(ServerSocketChannel channel) implements Listener {
            @Override
            public Link accept() throws IOException {
                SocketChannel c = channel.accept();
                return new Link(Channels.newInputStream(c), Channels.newOutputStream(c), c);
            }

            @Override
            public boolean isOpen() {
                return channel.isOpen();
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        }

        record Tls(SSLServerSocket socket) implements Listener {
            @Override
            public Link accept() throws IOException {
                Socket s = socket.accept(); // the handshake happens on the session's thread, under its deadline
                return new Link(s.getInputStream(), s.getOutputStream(), s);
            }

            @Override
            public boolean isOpen() {
                return !socket.isClosed();
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }
        }
    }

    private ControlServer(Listener listener, ControlEndpoint endpoint, Path socket, String fingerprint) {
        this.listener = listener;
        this.endpoint = endpoint;
        this.socket = socket;
        this.fingerprint = fingerprint;
    }

    static ControlServer open(ControlEndpoint endpoint) {
        try {
            return switch (endpoint) {
                case ControlEndpoint.Unix u -> {
                    Path path = u.path().toAbsolutePath();
                    yield new ControlServer(new Listener.Unix(PrivateSocket.bind(path, "the control socket")),
                            endpoint, path, null);
                }
                case ControlEndpoint.Tcp t -> {
                    SelfSignedIdentity identity = SelfSignedIdentity.make("cutover-proxy-control", 366);
                    SSLServerSocket server = (SSLServerSocket) identity.context().getServerSocketFactory()
                            .createServerSocket(t.port(), 50, InetAddress.getByName(t.host()));
                    yield new ControlServer(new Listener.Tls(server), endpoint, null, identity.fingerprint());
                }
            };
        } catch (IOException e) {
            throw CutoverException.precondition("cannot open the control endpoint " + endpoint + ": " + e.getMessage());
        }
    }

    String address() {
        if (socket != null) {
            return "unix:" + socket;
        }
        SSLServerSocket s = ((Listener.Tls) listener).socket();
        return new HostPort(s.getInetAddress().getHostAddress(), s.getLocalPort()).toString();
    }

    /** The TLS certificate's SHA-256 fingerprint; empty for a Unix socket. */
    Optional<String> fingerprint() {
        return Optional.ofNullable(fingerprint);
    }

    void serve(ProxyServer proxy) {
        Thread.ofPlatform().daemon().name("proxy-control").start(() -> {
            while (listener.isOpen()) {
                Link link;
                try {
                    link = listener.accept();
                } catch (IOException e) {
                    if (!listener.isOpen()) {
                        return;
                    }
                    continue; // one connection that failed to arrive: the next may
                }
                if (!greeting.tryAcquire()) {
                    closeQuietly(link.connection()); // a flood of silent connections: the proxy stays reachable to the rest
                    continue;
                }
                Thread.ofVirtual().name("proxy-control-session").start(() -> session(link, proxy));
            }
        });
    }

    private void session(Link link, ProxyServer proxy) {
        boolean greeted = false;
        java.util.concurrent.ScheduledFuture<?> deadline = deadlines.schedule(() -> closeQuietly(link.connection()),
                HELLO_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        try (Closeable connection = link.connection()) {
            BoundedLines in = new BoundedLines(link.in());
            OutputStream out = link.out();
            JsonNode hello = ControlCodec.parse(String.valueOf(in.read(HELLO_MAX)));
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
            deadline.cancel(false);
            greeting.release();
            greeted = true;
            send(out, ControlCodec.object().put("ok", true).put("proxy", "cutover").put("protocol", 1));
            for (String line = in.read(REQUEST_MAX); line != null; line = in.read(REQUEST_MAX)) {
                send(out, handle(ControlCodec.parse(line), proxy));
            }
        } catch (IOException | IllegalArgumentException e) {
            // that session's connection broke, timed out or spoke something else: the proxy goes on
        } finally {
            if (!greeted) {
                deadline.cancel(false);
                greeting.release();
            }
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
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
        closeQuietly(listener);
        deadlines.shutdownNow();
        try {
            if (socket != null) {
                Files.deleteIfExists(socket);
            }
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
