package dev.cutover.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutover.CutoverException;
import dev.cutover.ExitCode;
import dev.cutover.endpoint.Secret;
import dev.cutover.trust.BoundedLines;
import dev.cutover.trust.Fingerprint;
import dev.cutover.trust.PinnedTrust;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A session's handle on a running proxy, over its control endpoint:
 * {@code ProxyControl.connect("unix:/run/cutover/proxy.sock", Optional.empty(), Optional.empty())} or
 * {@code ProxyControl.connect("10.0.0.9:7000", Optional.of(token), Optional.of(fingerprint))}: TCP
 * is TLS, trusting only the certificate whose SHA-256 fingerprint the proxy printed at start. One
 * call at a time; errors come back as the same {@link CutoverException} types (and exit codes)
 * the proxy raised.
 */
public final class ProxyControl implements ProxyHandle {
    private static final int READ_TIMEOUT_MS = 120_000;
    private static final int REPLY_MAX = 16 << 20;
    private final String address;
    private final BoundedLines in;
    private final OutputStream out;
    private final AutoCloseable connection;

    private ProxyControl(String address, InputStream in, OutputStream out, AutoCloseable connection) {
        this.address = address;
        this.in = new BoundedLines(in);
        this.out = out;
        this.connection = connection;
    }

    public static ProxyControl connect(String address, Optional<Secret> token, Optional<String> fingerprint) {
        ProxyControl control;
        try {
            if (address.startsWith("unix:")) {
                SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(Path.of(address.substring(5))));
                control = new ProxyControl(address, Channels.newInputStream(channel), Channels.newOutputStream(channel),
                        channel);
            } else {
                HostPort hp = HostPort.parse(address, "the proxy control address");
                String pinned = fingerprint.map(Fingerprint::normalise).orElseThrow(() -> CutoverException.usage(
                        fingerprint.isEmpty()
                                ? "the proxy's TCP control endpoint " + address + " speaks TLS: give the certificate"
                                        + " fingerprint the proxy printed at start (--fingerprint HEX)"
                                : "'" + fingerprint.get() + "' is not a SHA-256 fingerprint: 64 hex digits, as the"
                                        + " proxy printed at start"));
                Socket socket = new PinnedTrust(pinned, "the proxy's control certificate at " + address
                        + " is not the one whose fingerprint you gave: someone may be in between, or the proxy"
                        + " restarted (it makes a new certificate at each start)").connect(hp.host(), hp.port(), 5000);
                socket.setSoTimeout(READ_TIMEOUT_MS);
                control = new ProxyControl(address, socket.getInputStream(), socket.getOutputStream(), socket);
            }
        } catch (IOException e) {
            String why = e instanceof javax.net.ssl.SSLHandshakeException h && h.getCause() != null
                    && h.getCause().getMessage() != null ? h.getCause().getMessage() : e.getMessage();
            throw CutoverException.connection("cannot reach the proxy's control endpoint " + address + ": " + why, e);
        }
        try {
            control.call(ControlCodec.object().put("op", "hello").put("token", token.map(Secret::reveal).orElse("")));
        } catch (RuntimeException e) {
            control.close();
            throw e;
        }
        return control;
    }

    public ProxyStatus status() {
        return ControlCodec.status(call(op("status")).path("status"));
    }

    public HoldResult hold(Duration max) {
        return ControlCodec.holdResult(call(op("hold").put("maxMs", max.toMillis())).path("hold"));
    }

    public ReleaseResult release() {
        return ControlCodec.releaseResult(call(op("release")).path("release"));
    }

    @Override
    public int prepare(String targetUri, UpstreamTrust trust) {
        ObjectNode request = op("prepare").put("target", targetUri).put("insecure", trust.insecure());
        trust.caPem().ifPresent(pem -> request.put("cacertPem", pem));
        return call(request).path("prepared").asInt();
    }

    /** Moves the proxy to {@code targetUri}; a TLS target is trusted as the proxy's own upstream is (its options). */
    public SwitchResult switchTo(String targetUri, Optional<Credentials> clientCredentials) {
        return switchTo(targetUri, clientCredentials, Optional.empty());
    }

    /**
     * The same, trusting {@code trust} if the target is a TLS one: its CA goes inline (PEM), so the
     * file is read here, where the session runs, not where the proxy does.
     */
    public SwitchResult switchTo(String targetUri, Optional<Credentials> clientCredentials, UpstreamTrust trust) {
        return switchTo(targetUri, clientCredentials, Optional.of(trust));
    }

    private SwitchResult switchTo(String targetUri, Optional<Credentials> clientCredentials,
                                  Optional<UpstreamTrust> trust) {
        ObjectNode request = op("switch").put("target", targetUri);
        trust.ifPresent(t -> {
            request.put("insecure", t.insecure());
            t.caPem().ifPresent(pem -> request.put("cacertPem", pem));
        });
        clientCredentials.ifPresent(c -> {
            c.user().ifPresent(u -> request.put("user", u));
            request.put("password", c.password().reveal());
        });
        return ControlCodec.switchResult(call(request).path("switch"));
    }

    private static ObjectNode op(String name) {
        return ControlCodec.object().put("op", name);
    }

    private synchronized JsonNode call(ObjectNode request) {
        JsonNode reply;
        try {
            out.write((ControlCodec.line(request) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            String line = in.read(REPLY_MAX);
            if (line == null) {
                throw CutoverException.connection("the proxy at " + address + " closed the control connection", null);
            }
            reply = ControlCodec.parse(line);
        } catch (IOException e) {
            throw CutoverException.connection("lost the proxy's control connection " + address + ": " + e.getMessage(), e);
        }
        if (reply.path("ok").asBoolean()) {
            return reply;
        }
        String message = reply.path("error").asText("the proxy refused the request");
        throw switch (reply.path("exitCode").asInt(ExitCode.STEP_FAILED)) {
            case ExitCode.USAGE -> CutoverException.usage(message);
            case ExitCode.PRECONDITION -> CutoverException.precondition(message);
            case ExitCode.CONNECTION -> CutoverException.connection(message, null);
            default -> CutoverException.failed(message);
        };
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
