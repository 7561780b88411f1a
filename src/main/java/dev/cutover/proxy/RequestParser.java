package dev.cutover.proxy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames client requests exactly as the server does (Redis's {@code processMultibulkBuffer} and
 * {@code processInlineBuffer}), so what the proxy classifies is what the server runs: RESP
 * multi-bulk ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}), whose bulk payloads are skipped by length,
 * never copied; and inline commands ({@code GET k\r\n}), split with the server's quoting rules
 * ({@code "…"} with {@code \n \r \t \b \a \xHH} escapes, {@code '…'} with {@code \'}), whose
 * arguments are copied out so the proxy can send them upstream as multi-bulk. Where the server
 * would refuse, this throws {@link RespProtocolException}; it is stricter than the server only
 * where the server itself would then close the connection or read a malformed length.
 *
 * <p>Nothing here allocates by a length the client declared: an incomplete request only says it
 * is incomplete, and the buffer grows with the bytes that actually arrive. One parser serves
 * every connection of an event loop: the fields describe the request the last {@link #parse}
 * call framed.
 */
final class RequestParser {
    static final int INCOMPLETE = -1;
    /** The server's PROTO_INLINE_MAX_SIZE. */
    static final int MAX_INLINE = 64 * 1024;
    /** The server's default proto-max-bulk-len. */
    static final long MAX_BULK = 512L * 1024 * 1024;
    static final int MAX_ARGS = 1024 * 1024;
    /** What the server takes from a connection that has not authenticated (when it requires it). */
    static final int UNAUTHENTICATED_ARGS = 10;
    static final int UNAUTHENTICATED_BULK = 16 * 1024;

    /** Offsets into the parsed array: the whole request, and (multi-bulk) its first argument, the command name. */
    int start;
    int end;
    int argc;
    int nameOff;
    int nameLen;
    boolean inline;
    /** An inline request's arguments, as the server splits them (its name is the first). */
    List<byte[]> inlineArgs = List.of();
    /** The number on the line {@link #numberLine} read last. */
    private long value;

    /** Frames one request as an authenticated connection may send it; see {@link #parse(byte[], int, int, boolean)}. */
    int parse(byte[] b, int from, int to) {
        return parse(b, from, to, true);
    }

    /**
     * Frames one request starting at {@code from}. Returns the offset just past it, or INCOMPLETE.
     * A request with no arguments (an empty inline line, {@code *0}, {@code *-1}) frames with
     * {@code argc == 0}: servers ignore those without a reply, so the caller drops it. An
     * unauthenticated connection gets the server's tighter limits (10 arguments, 16 KB each).
     */
    int parse(byte[] b, int from, int to, boolean authenticated) {
        start = from;
        if (from >= to) {
            return INCOMPLETE;
        }
        return b[from] == '*' ? multiBulk(b, from, to, authenticated) : inline(b, from, to);
    }

    private int multiBulk(byte[] b, int from, int to, boolean authenticated) {
        inline = false;
        int p = from + 1;
        int lineEnd = numberLine(b, p, to, "multibulk length");
        if (lineEnd < 0) {
            return INCOMPLETE;
        }
        long count = value;
        if (count > MAX_ARGS) {
            throw new RespProtocolException("invalid multibulk length");
        }
        if (count > UNAUTHENTICATED_ARGS && !authenticated) {
            throw new RespProtocolException("unauthenticated multibulk length");
        }
        p = lineEnd + 2;
        argc = (int) Math.max(0, count);
        nameOff = p;
        nameLen = 0;
        for (int i = 0; i < argc; i++) {
            if (p >= to) {
                return INCOMPLETE;
            }
            if (b[p] != '$') {
                throw new RespProtocolException("expected '$', got '" + (char) (b[p] & 0xff) + "'");
            }
            int le = numberLine(b, p + 1, to, "bulk length");
            if (le < 0) {
                return INCOMPLETE;
            }
            long len = value;
            if (len < 0 || len > MAX_BULK) {
                throw new RespProtocolException("invalid bulk length");
            }
            if (len > UNAUTHENTICATED_BULK && !authenticated) {
                throw new RespProtocolException("unauthenticated bulk length");
            }
            int payload = le + 2;
            long next = payload + len + 2; // as the server does: the two bytes after a payload are skipped, not read
            if (next > to) {
                return INCOMPLETE;
            }
            if (i == 0) {
                nameOff = payload;
                nameLen = (int) len;
            }
            p = (int) next;
        }
        end = p;
        return p;
    }

    /**
     * Reads the number on the line that starts at {@code p} into {@link #value}, with the server's
     * {@code string2ll} rules (an optional '-', then "0" or digits without a leading zero; "-0" is no
     * number); returns the index of the '\r' ending it, or -1 if the line is not complete.
     */
    private int numberLine(byte[] b, int p, int to, String what) {
        int i = p;
        boolean negative = i < to && b[i] == '-';
        if (negative) {
            i++;
        }
        int digits = i;
        long v = 0;
        int limit = Math.min(to, p + 32);
        while (i < limit) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            v = v * 10 + d;
            i++;
        }
        if (i < to && b[i] == '\r') {
            if (i + 1 == to) {
                return -1;
            }
            int n = i - digits;
            boolean leadingZero = n > 1 && b[digits] == '0' || negative && n == 1 && b[digits] == '0';
            if (b[i + 1] != '\n' || n == 0 || n > 18 || leadingZero) { // 18 digits: more than a length can be
                throw new RespProtocolException("invalid " + what);
            }
            value = negative ? -v : v;
            return i;
        }
        if (i < limit || to - p > 32) {
            throw new RespProtocolException("invalid " + what); // a byte that is no digit, or far too long
        }
        return -1;
    }

    private int inline(byte[] b, int from, int to) {
        inline = true;
        int nl = -1;
        int limit = Math.min(to, from + MAX_INLINE);
        for (int i = from; i < limit; i++) {
            if (b[i] == '\n') {
                nl = i;
                break;
            }
        }
        if (nl < 0) {
            if (to - from >= MAX_INLINE) {
                throw new RespProtocolException("too big inline request");
            }
            return INCOMPLETE;
        }
        int lineTo = nl > from && b[nl - 1] == '\r' ? nl - 1 : nl;
        inlineArgs = splitArgs(b, from, lineTo);
        argc = inlineArgs.size();
        nameOff = 0;
        nameLen = argc == 0 ? 0 : inlineArgs.getFirst().length;
        end = nl + 1;
        return end;
    }

    /**
     * The server's {@code sdssplitargs} over {@code b[from..to)}: the line is a C string there, so
     * it ends at its first NUL byte.
     */
    static List<byte[]> splitArgs(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == 0) {
                to = i;
                break;
            }
        }
        List<byte[]> args = new ArrayList<>();
        int p = from;
        while (true) {
            while (p < to && isSpace(b[p])) {
                p++;
            }
            if (p >= to) {
                return args;
            }
            ByteArrayOutputStream current = new ByteArrayOutputStream();
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            while (!done) {
                int c = p < to ? b[p] & 0xff : -1;
                int next = p + 1 < to ? b[p + 1] & 0xff : -1;
                if (inDouble) {
                    if (c == '\\' && next == 'x' && p + 3 < to && hex(b[p + 2]) >= 0 && hex(b[p + 3]) >= 0) {
                        current.write(hex(b[p + 2]) * 16 + hex(b[p + 3]));
                        p += 3;
                    } else if (c == '\\' && next >= 0) {
                        p++;
                        current.write(switch (next) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> next;
                        });
                    } else if (c == '"') {
                        if (next >= 0 && !isSpace((byte) next)) {
                            throw new RespProtocolException("unbalanced quotes in request");
                        }
                        done = true;
                    } else if (c < 0) {
                        throw new RespProtocolException("unbalanced quotes in request");
                    } else {
                        current.write(c);
                    }
                } else if (inSingle) {
                    if (c == '\\' && next == '\'') {
                        p++;
                        current.write('\'');
                    } else if (c == '\'') {
                        if (next >= 0 && !isSpace((byte) next)) {
                            throw new RespProtocolException("unbalanced quotes in request");
                        }
                        done = true;
                    } else if (c < 0) {
                        throw new RespProtocolException("unbalanced quotes in request");
                    } else {
                        current.write(c);
                    }
                } else {
                    switch (c) {
                        case ' ', '\n', '\r', '\t', -1 -> done = true;
                        case '"' -> inDouble = true;
                        case '\'' -> inSingle = true;
                        default -> current.write(c);
                    }
                }
                if (p < to) {
                    p++;
                }
            }
            args.add(current.toByteArray());
        }
    }

    /** C's isspace in the "C" locale. */
    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** The arguments of the request last framed in {@code b}, copied (only for the few commands whose state is tracked). */
    List<byte[]> args(byte[] b) {
        if (inline) {
            return inlineArgs;
        }
        List<byte[]> out = new ArrayList<>(argc);
        int p = numberLine(b, start + 1, end, "multibulk length") + 2;
        for (int i = 0; i < argc; i++) {
            int le = numberLine(b, p + 1, end, "bulk length");
            int len = (int) value;
            out.add(java.util.Arrays.copyOfRange(b, le + 2, le + 2 + len));
            p = le + 2 + len + 2;
        }
        return out;
    }

    /** The array the command name lies in, at {@link #nameOff} for {@link #nameLen} bytes: the request buffer, or an inline request's first argument. */
    byte[] nameBytes(byte[] b) {
        return inline ? inlineArgs.getFirst() : b;
    }
}
