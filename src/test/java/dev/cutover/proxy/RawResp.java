package dev.cutover.proxy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A bare RESP2/RESP3 connection for tests that must see exactly what a client receives (push
 * frames, nulls, the order of replies). Replies: String, "-ERR…" strings for errors, Long, List,
 * {@link Push}, or null.
 */
final class RawResp implements AutoCloseable {
    /** A RESP3 push frame. */
    record Push(List<Object> items) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawResp(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 5000);
        socket.setSoTimeout(60_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void send(String... args) throws IOException {
        pipeline(List.<String[]>of(args));
    }

    /** Several requests in one write, so the proxy reads them as one batch. */
    void pipeline(List<String[]> requests) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String[] args : requests) {
            sb.append('*').append(args.length).append("\r\n");
            for (String a : args) {
                sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
        }
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Bytes as they are, RESP or not. */
    void raw(String bytes) throws IOException {
        out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    Object call(String... args) throws IOException {
        send(args);
        return read();
    }

    Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException("connection closed");
        }
        String line = line();
        return switch (type) {
            case '+', '(', ',' -> line;
            case '-' -> "-" + line;
            case ':' -> Long.parseLong(line);
            case '_' -> null;
            case '#' -> line.equals("t");
            case '$', '=', '!' -> {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    yield null;
                }
                byte[] data = in.readNBytes(n + 2);
                yield new String(data, 0, n, StandardCharsets.UTF_8);
            }
            case '*', '~', '%', '>' -> {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    yield null;
                }
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < (type == '%' ? 2 * n : n); i++) {
                    items.add(read());
                }
                yield type == '>' ? new Push(items) : items;
            }
            default -> throw new IOException("unexpected reply type " + (char) type);
        };
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\r'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            sb.append((char) c);
        }
        in.read();
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
