package dev.cutover.proxy;

import java.util.ArrayList;
import java.util.List;

/**
 * Frames client requests just enough to forward them whole: RESP multi-bulk
 * ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}) and inline commands ({@code GET k\r\n}). Bulk
 * payloads are skipped by length, never copied. One parser serves every connection of an event
 * loop: the fields describe the request the last {@link #parse} call framed.
 */
final class RequestParser {
    static final int INCOMPLETE = -1;
    static final int MAX_INLINE = 64 * 1024;
    static final long MAX_BULK = 512L * 1024 * 1024;
    static final int MAX_ARGS = 1024 * 1024;

    /** Offsets into the parsed array: the whole request, and its first argument (the command name). */
    int start;
    int end;
    int argc;
    int nameOff;
    int nameLen;
    boolean inline;
    /** The number on the line {@link #numberLine} read last. */
    private long value;
    /** When {@link #parse} returns INCOMPLETE: the total bytes the request needs, as far as known. */
    long needed;

    /**
     * Frames one request starting at {@code from}. Returns the offset just past it, or INCOMPLETE.
     * A request with no arguments (an empty inline line, {@code *0}) frames with {@code argc == 0}:
     * servers ignore those without a reply, so the caller drops it.
     */
    int parse(byte[] b, int from, int to) {
        start = from;
        needed = 0;
        if (from >= to) {
            return INCOMPLETE;
        }
        return b[from] == '*' ? multiBulk(b, from, to) : inline(b, from, to);
    }

    private int multiBulk(byte[] b, int from, int to) {
        inline = false;
        int p = from + 1;
        int lineEnd = numberLine(b, p, to, "multibulk length");
        if (lineEnd < 0) {
            needed = to - from + 1;
            return INCOMPLETE;
        }
        long count = value;
        if (count > MAX_ARGS) {
            throw new RespProtocolException("invalid multibulk length");
        }
        p = lineEnd + 2;
        argc = (int) Math.max(0, count);
        nameOff = p;
        nameLen = 0;
        for (int i = 0; i < argc; i++) {
            if (p >= to) {
                needed = (long) p - from + 4;
                return INCOMPLETE;
            }
            if (b[p] != '$') {
                throw new RespProtocolException("expected '$', got '" + (char) (b[p] & 0xff) + "'");
            }
            int le = numberLine(b, p + 1, to, "bulk length");
            if (le < 0) {
                needed = (long) to - from + 1;
                return INCOMPLETE;
            }
            long len = value;
            if (len < 0 || len > MAX_BULK) {
                throw new RespProtocolException("invalid bulk length");
            }
            int payload = le + 2;
            long next = payload + len + 2;
            if (next > to) {
                needed = next - from;
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
     * Reads the number on the line that starts at {@code p} into {@link #value}, in one pass;
     * returns the index of the '\r' ending it, or -1 if the line is not complete.
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
            if (b[i + 1] != '\n' || i == digits || i - digits > 18) { // no digits, or more than a long holds
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
            needed = to - from + 1;
            return INCOMPLETE;
        }
        int lineTo = nl > from && b[nl - 1] == '\r' ? nl - 1 : nl;
        int p = skipBlanks(b, from, lineTo);
        argc = 0;
        nameOff = p;
        nameLen = 0;
        while (p < lineTo) {
            int q = p;
            while (q < lineTo && !blank(b[q])) {
                q++;
            }
            if (argc == 0) {
                nameLen = q - p;
            }
            argc++;
            p = skipBlanks(b, q, lineTo);
        }
        end = nl + 1;
        return end;
    }

    /** The arguments of the request last framed in {@code b}, copied (only for the few commands whose state is tracked). */
    List<byte[]> args(byte[] b) {
        List<byte[]> out = new ArrayList<>(argc);
        if (inline) {
            int lineTo = end - 1;
            if (lineTo > start && b[lineTo - 1] == '\r') {
                lineTo--;
            }
            int p = skipBlanks(b, start, lineTo);
            while (p < lineTo) {
                int q = p;
                while (q < lineTo && !blank(b[q])) {
                    q++;
                }
                out.add(java.util.Arrays.copyOfRange(b, p, q));
                p = skipBlanks(b, q, lineTo);
            }
            return out;
        }
        int p = numberLine(b, start + 1, end, "multibulk length") + 2;
        for (int i = 0; i < argc; i++) {
            int le = numberLine(b, p + 1, end, "bulk length");
            int len = (int) value;
            out.add(java.util.Arrays.copyOfRange(b, le + 2, le + 2 + len));
            p = le + 2 + len + 2;
        }
        return out;
    }

    private static boolean blank(byte c) {
        return c == ' ' || c == '\t';
    }

    private static int skipBlanks(byte[] b, int p, int to) {
        while (p < to && blank(b[p])) {
            p++;
        }
        return p;
    }
}
