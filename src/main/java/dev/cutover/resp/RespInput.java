package dev.cutover.resp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RESP frames from a stream through its own buffer, counting every byte consumed: the
 * replication offset is a byte count, and the RDB that precedes the command stream is read
 * through the same buffer ({@link #bounded}, {@link #remaining}).
 */
public final class RespInput {
    private static final int MAX_BULK = 512 * 1024 * 1024;
    private static final int MAX_ELEMENTS = 64 * 1024 * 1024;
    private final InputStream in;
    private final byte[] buffer;
    private int pos;
    private int limit;
    private volatile long consumed;
    private volatile boolean ended;

    public RespInput(InputStream in, int bufferSize) {
        this.in = in;
        this.buffer = new byte[bufferSize];
    }

    /** Bytes consumed since the stream was opened. */
    public long position() {
        return consumed;
    }

    /** Bytes already read from the socket and not yet consumed: 0 means the next read may block. */
    public int buffered() {
        return limit - pos;
    }

    private boolean fill() {
        try {
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                ended = true;
                return false;
            }
            pos = 0;
            limit = n;
            return true;
        } catch (IOException e) {
            ended = true;
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Consumes the bare newlines a primary sends a waiting replica as keep-alives (before its
     * PSYNC answer and before the RDB); they are not part of the replication stream.
     */
    public void skipNewlines() {
        while (true) {
            if (pos == limit && !fill()) {
                return;
            }
            if (buffer[pos] != '\n') {
                return;
            }
            pos++;
            consumed++;
        }
    }

    /** Whether the connection ended (closed by the peer, or broke). */
    public boolean ended() {
        return ended;
    }

    public int read() {
        if (pos == limit && !fill()) {
            return -1;
        }
        consumed++;
        return buffer[pos++] & 0xff;
    }

    private int readOrFail() {
        int b = read();
        if (b < 0) {
            throw new UncheckedIOException(new EOFException("connection closed in the middle of a frame (at byte "
                    + consumed + ")"));
        }
        return b;
    }

    /** Reads n bytes into dst, failing on end of stream. */
    public void readFully(byte[] dst, int off, int n) {
        while (n > 0) {
            if (pos == limit && !fill()) {
                throw new UncheckedIOException(new EOFException("connection closed after byte " + consumed));
            }
            int chunk = Math.min(n, limit - pos);
            System.arraycopy(buffer, pos, dst, off, chunk);
            pos += chunk;
            off += chunk;
            n -= chunk;
            consumed += chunk;
        }
    }

    /** A line up to CRLF, without it. */
    public String readLine() {
        StringBuilder line = new StringBuilder(32);
        while (true) {
            int b = readOrFail();
            if (b == '\r') {
                int lf = readOrFail();
                if (lf != '\n') {
                    throw new RespProtocolException("expected LF after CR", consumed);
                }
                return line.toString();
            }
            if (b == '\n') {
                return line.toString(); // inline protocol allows a bare LF
            }
            line.append((char) b);
            if (line.length() > 64 * 1024) {
                throw new RespProtocolException("a RESP line longer than 64 KiB", consumed);
            }
        }
    }

    private long readLong() {
        String line = readLine();
        try {
            return Long.parseLong(line);
        } catch (NumberFormatException e) {
            throw new RespProtocolException("expected a number, found '" + abbreviate(line) + "'", consumed);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /**
     * One reply: String (simple), {@link RespError}, Long, byte[] (bulk), null, or List of replies.
     * RESP3 maps and sets come as lists; doubles, big numbers and verbatim strings as Strings.
     */
    public Object readReply() {
        int type = readOrFail();
        return switch (type) {
            case '+' -> readLine();
            case '-' -> new RespError(readLine());
            case ':' -> readLong();
            case '$' -> readBulk();
            case '*', '~', '>' -> readArray(readLong());
            case '%' -> readArray(readLong() * 2);
            case '_' -> {
                readLine();
                yield null;
            }
            case ',', '(', '#' -> readLine();
            case '=' -> {
                byte[] b = readBulk();
                yield b == null ? null : new String(b, StandardCharsets.UTF_8);
            }
            default -> throw new RespProtocolException("unexpected RESP type byte 0x" + Integer.toHexString(type),
                    consumed - 1);
        };
    }

    private byte[] readBulk() {
        long length = readLong();
        if (length < 0) {
            return null;
        }
        if (length > MAX_BULK) {
            throw new RespProtocolException("bulk of " + length + " bytes is beyond 512 MiB", consumed);
        }
        byte[] value = new byte[(int) length];
        readFully(value, 0, value.length);
        if (readOrFail() != '\r' || readOrFail() != '\n') {
            throw new RespProtocolException("expected CRLF after a bulk string", consumed);
        }
        return value;
    }

    private List<Object> readArray(long count) {
        if (count < 0) {
            return null;
        }
        if (count > MAX_ELEMENTS) {
            throw new RespProtocolException("array of " + count + " elements is beyond bounds", consumed);
        }
        List<Object> items = new ArrayList<>((int) Math.min(count, 1024));
        for (long i = 0; i < count; i++) {
            items.add(readReply());
        }
        return items;
    }

    /**
     * One command as a replica receives it: a multi-bulk of bulk strings, or an inline line.
     * Returns null at a clean end of stream (between commands).
     */
    public List<byte[]> readCommand() {
        int type = read();
        if (type < 0) {
            return null;
        }
        if (type != '*') {
            consumed--;
            pos--;
            String line = readLine();
            List<byte[]> parts = new ArrayList<>();
            for (String word : line.strip().split("\\s+")) {
                if (!word.isEmpty()) {
                    parts.add(word.getBytes(StandardCharsets.UTF_8));
                }
            }
            return parts;
        }
        long count = readLong();
        if (count < 0 || count > MAX_ELEMENTS) {
            throw new RespProtocolException("a command of " + count + " arguments", consumed);
        }
        List<byte[]> args = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            int b = readOrFail();
            if (b != '$') {
                throw new RespProtocolException("expected '$' in a command, found 0x" + Integer.toHexString(b),
                        consumed - 1);
            }
            byte[] arg = readBulk();
            if (arg == null) {
                throw new RespProtocolException("a null argument in a command", consumed);
            }
            args.add(arg);
        }
        return args;
    }

    /** A view of the next {@code length} bytes, e.g. an RDB sent with its size. */
    public InputStream bounded(long length) {
        return new InputStream() {
            private long left = length;

            @Override
            public int read() {
                if (left <= 0) {
                    return -1;
                }
                int b = RespInput.this.read();
                if (b >= 0) {
                    left--;
                }
                return b;
            }

            @Override
            public int read(byte[] dst, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                if (pos == limit && !fill()) {
                    return -1;
                }
                int n = (int) Math.min(Math.min(len, left), limit - pos);
                System.arraycopy(buffer, pos, dst, off, n);
                pos += n;
                consumed += n;
                left -= n;
                return n;
            }
        };
    }

    /** A view of everything that follows (a diskless RDB ends at its EOF mark, found by the reader). */
    public InputStream remaining() {
        return bounded(Long.MAX_VALUE);
    }
}
