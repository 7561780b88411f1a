package dev.cutover.proxy;

import dev.cutover.CutoverException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small blocking RESP2 client for the proxy's own calls to an upstream (COMMAND, PING, CLIENT
 * LIST, CLIENT UNBLOCK), never on a client's path. Replies: String, Long, List, null, or
 * {@link Error} for an error reply.
 */
final class RespClient implements AutoCloseable {
    /** An error reply. */
    record Error(String message) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String address;

    private RespClient(Socket socket, String address) throws IOException {
        this.socket = socket;
        this.address = address;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
    }

    /** Connects and authenticates with the upstream's credentials; throws Connection errors naming the address. */
    static RespClient open(Upstream upstream, Duration timeout) {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(upstream.address(), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            if (upstream.tls() != null) {
                socket = startTls(socket, upstream);
            }
            RespClient client = new RespClient(socket, upstream.display());
            for (List<byte[]> command : upstream.ownPrelude()) {
                Object reply = client.call(command);
                if (reply instanceof Error e) {
                    client.close();
                    throw CutoverException.connection(upstream.display() + " refused the proxy's credentials: "
                            + e.message(), null);
                }
            }
            return client;
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw CutoverException.connection("cannot reach " + upstream.display() + ": " + ClientPair.reason(e), e);
        }
    }

    /** TLS over the connected socket, with the upstream's trust, host name verified unless insecure. */
    private static Socket startTls(Socket plain, Upstream upstream) throws IOException {
        javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) upstream.tls().getSocketFactory()
                .createSocket(plain, upstream.uri().host(), upstream.uri().port(), true);
        if (!upstream.trust().insecure()) {
            javax.net.ssl.SSLParameters params = tls.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(params);
        }
        tls.startHandshake();
        return tls;
    }

    Object call(String... args) throws IOException {
        List<byte[]> command = new ArrayList<>(args.length);
        for (String a : args) {
            command.add(a.getBytes(StandardCharsets.UTF_8));
        }
        return call(command);
    }

    Object call(List<byte[]> args) throws IOException {
        out.write(Resp.command(args));
        out.flush();
        return read();
    }

    private Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException(address + " closed the connection");
        }
        String line = line();
        return switch (type) {
            case '+' -> line;
            case '-' -> new Error(line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    yield null;
                }
                byte[] data = in.readNBytes(n + 2);
                yield new String(data, 0, n, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    yield null;
                }
                List<Object> items = new ArrayList<>(Math.min(n, 1024)); // grows with what arrives, not with what it declares
                for (int i = 0; i < n; i++) {
                    items.add(read());
                }
                yield items;
            }
            default -> throw new IOException(address + " sent a reply this client does not read: '" + (char) type + "'");
        };
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\r'; c = in.read()) {
            if (c < 0) {
                throw new IOException(address + " closed the connection");
            }
            if (sb.length() >= 64 * 1024) {
                throw new IOException(address + " sent a reply line longer than 64 KB: not a server this proxy knows");
            }
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }

    /**
     * How the server frames requests where servers differ, asked as this client's last calls: a
     * server that refuses a probe answers a protocol error and hangs up, and then the next probe
     * goes on one more short connection to {@code upstream}.
     */
    Dialect dialect(Upstream upstream, Duration timeout) throws IOException {
        out.write("*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        boolean checkCrlf = read() instanceof Error e && e.message().contains("CRLF");
        if (checkCrlf) {
            try (RespClient again = open(upstream, timeout)) {
                return new Dialect(again.joinsQuotes(), true);
            }
        }
        read(); // the second PONG
        return new Dialect(joinsQuotes(), false);
    }

    private boolean joinsQuotes() throws IOException {
        out.write("ECHO \"a\"b\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return "ab".equals(read());
    }

    /** COMMAND: each command and subcommand ("client|kill") with its flag names. */
    Map<String, List<String>> commandFlags() throws IOException {
        Map<String, List<String>> flags = new LinkedHashMap<>();
        if (call("COMMAND") instanceof List<?> all) {
            all.forEach(entry -> collect(entry, flags));
        }
        return flags;
    }

    private static void collect(Object entry, Map<String, List<String>> flags) {
        if (!(entry instanceof List<?> info) || info.size() < 3 || !(info.get(0) instanceof String name)) {
            return;
        }
        List<String> names = new ArrayList<>();
        if (info.get(2) instanceof List<?> f) {
            f.forEach(x -> names.add(String.valueOf(x)));
        }
        flags.put(name, names);
        if (info.size() > 9 && info.get(9) instanceof List<?> subs) {
            subs.forEach(sub -> collect(sub, flags));
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    static InetSocketAddress resolve(String host, int port) {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw CutoverException.connection("cannot resolve " + host, null);
        }
        return address;
    }
}
