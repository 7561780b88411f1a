package dev.cutover.rdb;

import dev.cutover.local.LocalServer;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A binary-safe RESP2 client for tests: commands as byte arrays, replies as String (status),
 * Long, byte[] (bulk), List (array) or {@link Err}. Independent of cutover's own client code.
 */
final class Resp implements AutoCloseable {
    record Err(String message) {
    }

    private final Socket socket;
    final InputStream in;
    private final OutputStream out;

    Resp(LocalServer server) {
        try {
            socket = new Socket(server.host(), server.port());
            in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Object call(Object... args) {
        List<byte[]> c = new ArrayList<>();
        for (Object a : args) {
            c.add(a instanceof byte[] b ? b : String.valueOf(a).getBytes(StandardCharsets.UTF_8));
        }
        return pipeline(List.of(c)).get(0);
    }

    /** Like {@link #call} but fails on an error reply. */
    Object ok(Object... args) {
        Object r = call(args);
        if (r instanceof Err e) {
            throw new AssertionError(String.join(" ", List.of(args).stream().map(a -> a instanceof byte[] b
                    ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(a)).toList()) + " -> " + e.message());
        }
        return r;
    }

    List<Object> pipeline(List<List<byte[]>> commands) {
        try {
            for (List<byte[]> c : commands) {
                send(c);
            }
            out.flush();
            List<Object> replies = new ArrayList<>(commands.size());
            for (int i = 0; i < commands.size(); i++) {
                replies.add(reply());
            }
            return replies;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void send(List<byte[]> c) throws IOException {
        out.write(("*" + c.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : c) {
            out.write(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(a);
            out.write('\r');
            out.write('\n');
        }
    }

    void flush() throws IOException {
        out.flush();
    }

    Object reply() throws IOException {
        int t = in.read();
        if (t < 0) {
            throw new IOException("connection closed by the server");
        }
        String line = line();
        switch (t) {
            case '+':
                return line;
            case '-':
                return new Err(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                byte[] b = in.readNBytes(n);
                in.readNBytes(2);
                return b;
            }
            case '*': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return null;
                }
                List<Object> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    l.add(reply());
                }
                return l;
            }
            default:
                throw new IOException("unexpected RESP type " + t + " " + line);
        }
    }

    String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            b.write(c);
        }
        in.read();
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    static String s(Object reply) {
        return reply == null ? null : reply instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(reply);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test connection
        }
    }
}
