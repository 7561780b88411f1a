package dev.cutover.proxy;

import java.util.Arrays;

/**
 * Finds where each top-level reply ends in the byte stream an upstream sends, across reads of
 * any size, without buffering replies: RESP2 and RESP3 (maps, sets, push frames, attributes,
 * verbatim strings, big numbers). Bulk payloads are skipped by length. For push frames (and,
 * when asked, arrays) it keeps the first three elements, which is what Pub/Sub bookkeeping
 * needs ({@code subscribe <channel> <count>}, {@code message …}, {@code invalidate …}).
 */
final class ReplyScanner {
    private static final int HEAD = 3;
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    private long[] remaining = new long[8];
    private boolean[] attribute = new boolean[8];
    private int depth;
    private boolean inBulk;
    private long bulkLeft;
    private byte type;
    private long number;
    private boolean negative;
    private boolean sawCr;
    private boolean inFrame;
    private boolean frameDone;
    private byte frameType;

    /** Capture the heads of top-level arrays too (RESP2 connections in subscribed mode). */
    boolean captureArrays;
    private boolean capturing;
    private int element;
    private final byte[][] head = new byte[HEAD][];
    private final int[] headLen = new int[HEAD];
    private final byte[] headType = new byte[HEAD];
    private int captured;
    private final byte[] errorLine = new byte[200];
    private int errorLen;

    ReplyScanner() {
        for (int i = 0; i < HEAD; i++) {
            head[i] = new byte[32];
        }
    }

    /**
     * Scans {@code b[from..to)}; returns the offset just past the first top-level reply that ends
     * in it (then {@link #frameDone()} is true), or {@code to}.
     */
    int scan(byte[] b, int from, int to) {
        frameDone = false;
        if (type == 0 && depth == 0 && !inBulk && from < to) {
            int end = wholeSimpleFrame(b, from, to);
            if (end > 0) {
                return end;
            }
        }
        int i = from;
        while (i < to) {
            if (inBulk) {
                int n = (int) Math.min(bulkLeft, to - i);
                if (capturing && depth == 1 && element < HEAD && bulkLeft > 2) {
                    capture(b, i, (int) Math.min(n, bulkLeft - 2));
                }
                bulkLeft -= n;
                i += n;
                if (bulkLeft == 0) {
                    inBulk = false;
                    if (elementDone(false)) {
                        return i;
                    }
                }
                continue;
            }
            byte c = b[i++];
            if (type == 0) {
                startElement(c);
                continue;
            }
            if (sawCr) {
                if (c != '\n') {
                    throw new RespProtocolException("upstream sent a line without \\n after \\r");
                }
                sawCr = false;
                if (lineDone()) {
                    return i;
                }
            } else if (c == '\r') {
                sawCr = true;
            } else if (numeric(type)) {
                if (c == '-' && number == 0 && !negative) {
                    negative = true;
                } else if (c >= '0' && c <= '9') {
                    number = number * 10 + (c - '0');
                } else {
                    throw new RespProtocolException("upstream sent '" + (char) c + "' in a length");
                }
            } else if (capturing && depth == 1 && element < HEAD) {
                capture(b, i - 1, 1);
            } else if (depth == 0 && type == '-' && errorLen < errorLine.length) {
                errorLine[errorLen++] = c;
            }
        }
        return to;
    }

    /**
     * At a frame boundary: the end of the whole one-line or bulk frame at {@code from}, or -1 when
     * what is there is anything else (which {@link #scan} then reads).
     */
    int simpleFrame(byte[] b, int from, int to) {
        return from < to ? wholeSimpleFrame(b, from, to) : -1;
    }

    /**
     * Most replies are one line or one bulk string, whole in the bytes read: those end here without
     * the byte-by-byte state machine. Returns the end of such a frame, or -1 for anything else
     * (aggregates, a frame cut by the read, anything malformed), which {@link #scan} then reads as
     * usual from the same place.
     */
    private int wholeSimpleFrame(byte[] b, int from, int to) {
        byte c = b[from];
        int end;
        if (c == '$') {
            int i = from + 1;
            boolean minus = i < to && b[i] == '-';
            if (minus) {
                i++;
            }
            int digits = i;
            long n = 0;
            while (i < to && i - digits < 18 && b[i] >= '0' && b[i] <= '9') {
                n = n * 10 + (b[i] - '0');
                i++;
            }
            if (i == digits || i + 1 >= to || b[i] != '\r' || b[i + 1] != '\n' || minus && n != 1) {
                return -1;
            }
            long past = minus ? i + 2 : i + 2 + n + 2;
            if (past > to) {
                return -1;
            }
            end = (int) past;
            errorLen = 0;
        } else if (c == '+' || c == ':' || c == '-' || c == '_' || c == ',' || c == '#' || c == '(') {
            int cr = from + 1;
            while (cr < to && b[cr] != '\r' && b[cr] != '\n') {
                cr++;
            }
            if (cr + 1 >= to || b[cr] != '\r' || b[cr + 1] != '\n') {
                return -1;
            }
            errorLen = c == '-' ? Math.min(cr - from - 1, errorLine.length) : 0;
            System.arraycopy(b, from + 1, errorLine, 0, errorLen);
            end = cr + 2;
        } else {
            return -1;
        }
        frameType = c;
        captured = 0;
        capturing = false;
        inFrame = false;
        frameDone = true;
        return end;
    }

    private void startElement(byte c) {
        switch (c) {
            case '+', '-', ':', '$', '*', '%', '~', '>', '|', '_', ',', '#', '!', '=', '(' -> type = c;
            default -> throw new RespProtocolException("upstream sent '" + (char) c + "' where a reply type belongs");
        }
        number = 0;
        negative = false;
        if (depth == 0) {
            inFrame = true;
            if (c != '|') {
                frameType = c;
                captured = 0;
                capturing = false;
                errorLen = 0;
            }
        }
        if (capturing && depth == 1 && element < HEAD) {
            headType[element] = c;
            headLen[element] = 0;
            captured = element + 1;
        }
    }

    private static boolean numeric(byte t) {
        return t == '$' || t == '*' || t == '%' || t == '~' || t == '>' || t == '|' || t == '!' || t == '=';
    }

    /** A header or simple line ended; returns true when that ended a top-level frame. */
    private boolean lineDone() {
        byte t = type;
        long n = negative ? -number : number;
        type = 0;
        if (n < 0 && capturing && depth == 1 && element < HEAD) {
            headType[element] = '_';
        }
        switch (t) {
            case '$', '!', '=' -> {
                if (n < 0) {
                    return elementDone(false);
                }
                inBulk = true;
                bulkLeft = n + 2;
                return false;
            }
            case '*', '%', '~', '>', '|' -> {
                long count = t == '%' || t == '|' ? n * 2 : n;
                if (count <= 0) {
                    return elementDone(t == '|');
                }
                if (depth == 0 && (t == '>' || (t == '*' && captureArrays))) {
                    capturing = true;
                    element = 0;
                }
                push(count, t == '|');
                return false;
            }
            default -> {
                return elementDone(false);
            }
        }
    }

    private void push(long count, boolean isAttribute) {
        depth++;
        if (depth == remaining.length) {
            remaining = Arrays.copyOf(remaining, depth * 2);
            attribute = Arrays.copyOf(attribute, depth * 2);
        }
        remaining[depth] = count;
        attribute[depth] = isAttribute;
    }

    /** One element ended at the current depth; returns true when that ended a top-level frame. */
    private boolean elementDone(boolean wasAttribute) {
        while (true) {
            if (depth == 0) {
                if (wasAttribute) {
                    return false; // an attribute comes before the reply it describes
                }
                inFrame = false;
                frameDone = true;
                return true;
            }
            if (!wasAttribute) {
                remaining[depth]--;
                if (depth == 1) {
                    element++;
                }
            }
            if (remaining[depth] > 0) {
                return false;
            }
            wasAttribute = attribute[depth];
            depth--;
        }
    }

    private void capture(byte[] b, int off, int len) {
        int e = element;
        int have = headLen[e];
        int take = Math.min(len, MAX_HEAD_BYTES - have);
        if (take <= 0) {
            return;
        }
        if (have + take > head[e].length) {
            head[e] = Arrays.copyOf(head[e], Math.max(have + take, head[e].length * 2));
        }
        System.arraycopy(b, off, head[e], have, take);
        headLen[e] = have + take;
    }

    boolean frameDone() {
        return frameDone;
    }

    /** True between frames: nothing of a reply has been seen that has not ended. */
    boolean atBoundary() {
        return !inFrame && type == 0 && depth == 0;
    }

    byte frameType() {
        return frameType;
    }

    /** How many head elements the last frame captured (0 unless it was a push frame or a captured array). */
    int captured() {
        return capturing ? captured : 0;
    }

    /** The type byte of head element {@code i}: '$', '+', ':', '_' (null) or an aggregate type. */
    byte headType(int i) {
        return headType[i];
    }

    boolean headIs(int i, String ascii) {
        if (headLen[i] != ascii.length()) {
            return false;
        }
        for (int k = 0; k < headLen[i]; k++) {
            int c = head[i][k];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != ascii.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    byte[] headBytes(int i) {
        return Arrays.copyOf(head[i], headLen[i]);
    }

    /** Head element {@code i} is a null ({@code $-1}, {@code *-1} or {@code _}). */
    boolean headNull(int i) {
        return headType[i] == '_';
    }

    /** The text of the last top-level error reply (its first 200 bytes). */
    String errorText() {
        return new String(errorLine, 0, errorLen, java.nio.charset.StandardCharsets.UTF_8);
    }

    void reset() {
        depth = 0;
        inBulk = false;
        type = 0;
        sawCr = false;
        inFrame = false;
        frameDone = false;
        capturing = false;
    }
}
