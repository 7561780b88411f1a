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
    /** The server takes a count up to INT_MAX, and so does this: nothing is sized by it. */
    static final int MAX_ARGS = Integer.MAX_VALUE;
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
    /**
     * The upstream's rules where servers differ. The proxy sends inline requests on as multi-bulk,
     * so the split made here is exactly what the server runs, and classified as such.
     */
    Dialect dialect = Dialect.REDIS;
    /**
     * Where the connection's incomplete multi-bulk request stopped, so the next call goes on from
     * there rather than reading its arguments again (a client may send millions of small ones, a
     * few at a time: reading them all again at each arrival would cost the square). Offsets are
     * relative to the request's start, which buffer compaction moves. Null: no resuming.
     */
    Progress progress;

    /** One connection's place in its incomplete request (see {@link #progress}). */
    static final class Progress {
        private boolean active;
        private int args;
        private int argc;
        private int at;
        private int nameAt;
        private int nameLen;

        void clear() {
            active = false;
        }
    }

    /** The number {@link #number} read last. */
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
        int p;
        int i;
        Progress resume = progress;
        if (resume != null && resume.active) {
            argc = resume.argc;
            i = resume.args;
            p = from + resume.at;
            nameOff = from + resume.nameAt;
            nameLen = resume.nameLen;
        } else {
            int lineEnd = lineEnd(b, from, to, "too big mbulk count string");
            if (lineEnd < 0) {
                return INCOMPLETE;
            }
            if (!number(b, from + 1, lineEnd) || value > MAX_ARGS) {
                throw new RespProtocolException("invalid multibulk length");
            }
            long count = value;
            if (count > UNAUTHENTICATED_ARGS && !authenticated) {
                throw new RespProtocolException("unauthenticated multibulk length");
            }
            p = lineEnd + 2;
            argc = (int) Math.max(0, count);
            nameOff = p;
            nameLen = 0;
            i = 0;
        }
        if (resume != null) {
            resume.active = false; // set again below if this request is still incomplete
        }
        for (; i < argc; i++) {
            int le = lineEnd(b, p, to, "too big bulk count string");
            if (le < 0) {
                return incomplete(from, i, p);
            }
            if (b[p] != '$') {
                throw new RespProtocolException("expected '$', got '" + (char) (b[p] & 0xff) + "'");
            }
            if (!number(b, p + 1, le) || value < 0 || value > MAX_BULK) {
                throw new RespProtocolException("invalid bulk length");
            }
            long len = value;
            if (len > UNAUTHENTICATED_BULK && !authenticated) {
                throw new RespProtocolException("unauthenticated bulk length");
            }
            int payload = le + 2;
            long next = payload + len + 2; // Redis skips the two bytes after a payload unread; Valkey 9 checks them
            if (next > to) {
                return incomplete(from, i, p);
            }
            if (dialect.checkCrlf() && (b[(int) next - 2] != '\r' || b[(int) next - 1] != '\n')) {
                throw new RespProtocolException("invalid CRLF in request");
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

    private int incomplete(int from, int args, int at) {
        Progress resume = progress;
        if (resume != null && args > 0) {
            resume.active = true;
            resume.args = args;
            resume.argc = argc;
            resume.at = at - from;
            resume.nameAt = nameOff - from;
            resume.nameLen = nameLen;
        }
        return INCOMPLETE;
    }

    /**
     * Finds the '\r' that ends the length line starting at {@code p}, as the server does: Redis
     * with {@code strchr} (a NUL ends the search: the line is not there yet) and any one byte after
     * it, Valkey 9 with {@code memchr} and a '\n' after it. Returns -1 while the line is incomplete;
     * past {@link #MAX_INLINE} bytes without one, the server's {@code tooBig} error.
     */
    private int lineEnd(byte[] b, int p, int to, String tooBig) {
        for (int i = p; i < to; i++) {
            byte c = b[i];
            if (c == '\r') {
                if (i + 1 >= to) {
                    return -1;
                }
                if (dialect.checkCrlf() && b[i + 1] != '\n') {
                    throw new RespProtocolException("invalid CRLF in request");
                }
                return i;
            }
            if (c == 0 && !dialect.checkCrlf()) {
                break;
            }
        }
        if (to - p > MAX_INLINE) {
            throw new RespProtocolException(tooBig);
        }
        return -1;
    }

    /**
     * The server's {@code string2ll} over {@code b[from..to)} into {@link #value}: an optional '-',
     * then "0" or digits without a leading zero ("-0" is no number), nothing else, no overflow.
     */
    private boolean number(byte[] b, int from, int to) {
        int i = from;
        boolean negative = i < to && b[i] == '-';
        if (negative) {
            i++;
        }
        int n = to - i;
        if (n <= 0 || n > 19) {
            return false;
        }
        if (b[i] == '0') {
            if (n == 1 && !negative) {
                value = 0;
                return true;
            }
            return false;
        }
        long v = 0;
        for (; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (v > (Long.MAX_VALUE - d) / 10) {
                return false;
            }
            v = v * 10 + d;
        }
        value = negative ? -v : v;
        return true;
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
            if (b[i] == 0) {
                break; // the server looks for the newline with strchr: a NUL hides it, the line never ends
            }
        }
        if (nl < 0) {
            if (to - from > MAX_INLINE) {
                throw new RespProtocolException("too big inline request");
            }
            return INCOMPLETE;
        }
        int lineTo = nl > from && b[nl - 1] == '\r' ? nl - 1 : nl;
        inlineArgs = splitArgs(b, from, lineTo, dialect.joinQuotes());
        argc = inlineArgs.size();
        nameOff = 0;
        nameLen = argc == 0 ? 0 : inlineArgs.getFirst().length;
        end = nl + 1;
        return end;
    }

    /**
     * The server's {@code sdssplitargs} over {@code b[from..to)} (a line without NUL: the server
     * never finds the end of one that has one); as a C string would, it stops at a NUL anyway. {@code joinQuotes}: Valkey 9's rule, see {@link Dialect}.
     */
    static List<byte[]> splitArgs(byte[] b, int from, int to, boolean joinQuotes) {
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
                        inDouble = false;
                        done = closes(joinQuotes, next);
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
                        inSingle = false;
                        done = closes(joinQuotes, next);
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

    /**
     * At a closing quote: whether the argument ends there. Valkey 9 goes on with the same argument;
     * Redis wants a blank or the end of the line after it, and otherwise refuses the request.
     */
    private static boolean closes(boolean joinQuotes, int next) {
        if (joinQuotes) {
            return false;
        }
        if (next >= 0 && !isSpace((byte) next)) {
            throw new RespProtocolException("unbalanced quotes in request");
        }
        return true;
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
        List<byte[]> out = new ArrayList<>(Math.min(argc, 1024));
        int p = lineEnd(b, start, end, "") + 2;
        for (int i = 0; i < argc; i++) {
            int le = lineEnd(b, p, end, "");
            number(b, p + 1, le);
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
