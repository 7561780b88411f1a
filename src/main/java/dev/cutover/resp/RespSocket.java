package dev.cutover.resp;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.ConnectOptions;
import dev.cutover.endpoint.EndpointUri;
import dev.cutover.endpoint.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One plain or TLS connection to a server, authenticated as the URI says, with a RESP reader and
 * writer over it. Used where every byte matters (the replication link, the pipelined writer).
 */
public final class RespSocket implements AutoCloseable {
    private final Socket socket;
    private final RespInput input;
    private final RespOutput output;
    private final String address;

    private RespSocket(Socket socket, String address) throws IOException {
        this.socket = socket;
        this.address = address;
        this.input = new RespInput(socket.getInputStream(), 256 * 1024);
        this.output = new RespOutput(socket.getOutputStream(), 256 * 1024);
    }

    /** Connects and authenticates; failures are one sentence (exit code 4). */
    public static RespSocket open(EndpointUri uri, ConnectOptions options, String clientName) {
        EndpointUri effective = uri.withCredentials(options.user(), options.password());
        Socket socket = null;
        try {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.setReceiveBufferSize(1 << 20);
            socket.setSendBufferSize(1 << 20);
            socket.connect(new InetSocketAddress(effective.host(), effective.port()), (int) options.timeout().toMillis());
            if (effective.tls()) {
                SSLSocket tls = (SSLSocket) TlsContexts.forOptions(options).getSocketFactory()
                        .createSocket(socket, effective.host(), effective.port(), true);
                if (!options.insecure()) {
                    SSLParameters params = tls.getSSLParameters();
                    params.setEndpointIdentificationAlgorithm("HTTPS");
                    tls.setSSLParameters(params);
                }
                tls.startHandshake();
                socket = tls;
            }
            RespSocket connection = new RespSocket(socket, effective.address());
            socket.setSoTimeout((int) options.timeout().toMillis());
            if (effective.password().isPresent()) {
                connection.expectOk(connection.auth(effective.user(), effective.password().get()), "AUTH");
            }
            if (clientName != null) {
                connection.call("CLIENT", "SETNAME", clientName);
            }
            return connection;
        } catch (IOException | UncheckedIOException e) {
            closeQuietly(socket);
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            throw CutoverException.connection("cannot open a connection to " + effective.address() + " ("
                    + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")", e);
        } catch (RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a socket that failed to open
            }
        }
    }

    private void expectOk(Object reply, String what) {
        if (reply instanceof RespError error) {
            throw CutoverException.connection(what + " to " + address + " failed: " + error.message(), null);
        }
    }

    /** AUTH [user] password; the server's reply (a {@link RespError} when it refuses). */
    public Object auth(Optional<String> user, Secret password) {
        List<String> auth = new ArrayList<>(List.of("AUTH"));
        user.ifPresent(auth::add);
        auth.add(password.reveal());
        return call(auth.toArray(String[]::new));
    }

    /** Sends one command and reads its reply (not for use once the connection is pipelining). */
    public Object call(String... args) {
        output.write(args);
        output.flush();
        return input.readReply();
    }

    /** Sends one binary-safe command and reads its reply. */
    public Object call(java.util.List<byte[]> args) {
        output.write(args);
        output.flush();
        return input.readReply();
    }

    /** 0 blocks reads forever (the replication stream may be silent for long). */
    public void readTimeout(java.time.Duration timeout) {
        try {
            socket.setSoTimeout((int) timeout.toMillis());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RespInput input() {
        return input;
    }

    public RespOutput output() {
        return output;
    }

    public String address() {
        return address;
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }
}
