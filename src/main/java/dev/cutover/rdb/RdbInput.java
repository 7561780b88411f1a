package dev.cutover.rdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The byte level of an RDB: exact reads (never a byte past what the format asks for, so a
 * replication stream can go on after the snapshot), the running CRC-64, the offset, the RDB
 * length and string encodings, and an optional bounded copy of what is read (for DUMP payloads).
 */
final class RdbInput {
    /** Bigger strings are read in steps of this size, so a bogus length fails at end of stream, not in an allocation. */
    private static final int STEP = 8 << 20;
    /** The largest string a Java array can hold, with room to spare. */
    static final long MAX_STRING = Integer.MAX_VALUE - 64;

    private final InputStream in;
    private final byte[] one = new byte[1];
    private long offset;
    private volatile long published;
    private long crc;

    private byte[] copy;
    private int copyLen;
    private int copyLimit;
    private boolean copying;

    RdbInput(InputStream in) {
        this.in = in;
    }

    long offset() {
        return offset;
    }

    long published() {
        return published;
    }

    long crc() {
        return crc;
    }

    // ---- raw reads

    int u8(String what) {
        int n;
        try {
            n = in.read(one, 0, 1);
            while (n == 0) {
                n = in.read(one, 0, 1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the RDB at byte " + offset + " failed: " + e.getMessage(), e);
        }
        if (n < 0) {
            throw truncated(1, what);
        }
        consumed(one, 0, 1);
        return one[0] & 0xff;
    }

    byte[] bytes(long len, String what) {
        if (len < 0 || len > MAX_STRING) {
            throw new RdbException(offset, "expected a length for " + what + " of at most " + MAX_STRING
                    + " bytes, found " + Long.toUnsignedString(len));
        }
        int n = (int) len;
        if (n <= STEP) {
            byte[] out = new byte[n];
            fill(out, 0, n, what, n);
            return out;
        }
        byte[] out = new byte[STEP];
        int have = 0;
        while (have < n) {
            int want = Math.min(n - have, STEP);
            if (out.length < have + want) {
                out = Arrays.copyOf(out, (int) Math.min(n, Math.max((long) out.length * 2, have + want)));
            }
            fill(out, have, want, what, n - have);
            have += want;
        }
        return out;
    }

    void skip(long len, String what) {
        byte[] buf = new byte[(int) Math.min(Math.max(len, 0), 64 * 1024)];
        long left = len;
        while (left > 0) {
            int want = (int) Math.min(left, buf.length);
            fill(buf, 0, want, what, left);
            left -= want;
        }
    }

    private void fill(byte[] out, int off, int len, String what, long wanted) {
        int done = 0;
        while (done < len) {
            int n;
            try {
                n = in.read(out, off + done, len - done);
            } catch (IOException e) {
                throw new UncheckedIOException("reading the RDB at byte " + offset + " failed: " + e.getMessage(), e);
            }
            if (n < 0) {
                throw truncated(wanted - done, what);
            }
            consumed(out, off + done, n);
            done += n;
        }
    }

    private void consumed(byte[] data, int off, int len) {
        crc = Crc64.update(crc, data, off, len);
        offset += len;
        published = offset;
        if (copying) {
            append(data, off, len);
        }
    }

    private RdbException truncated(long missing, String what) {
        return new RdbException(offset, "expected " + missing + " more byte" + (missing == 1 ? "" : "s")
                + " of " + what + ", found the end of the stream (truncated file or dropped connection)");
    }

    // ---- fixed-width numbers

    long u32le(String what) {
        byte[] b = bytes(4, what);
        return (b[0] & 0xffL) | (b[1] & 0xffL) << 8 | (b[2] & 0xffL) << 16 | (b[3] & 0xffL) << 24;
    }

    long i64le(String what) {
        byte[] b = bytes(8, what);
        return le64(b, 0);
    }

    static long le64(byte[] b, int off) {
        long v = 0;
        for (int k = 7; k >= 0; k--) {
            v = v << 8 | (b[off + k] & 0xff);
        }
        return v;
    }

    static long be64(byte[] b, int off) {
        long v = 0;
        for (int k = 0; k < 8; k++) {
            v = v << 8 | (b[off + k] & 0xff);
        }
        return v;
    }

    double binaryDouble(String what) {
        return Double.longBitsToDouble(i64le(what));
    }

    float binaryFloat(String what) {
        return Float.intBitsToFloat((int) u32le(what));
    }

    // ---- RDB lengths and strings

    /** A length; the "encoded value" form is refused here. */
    long length(String what) {
        long start = offset;
        int b = u8(what);
        switch (b >>> 6) {
            case 0:
                return b & 0x3f;
            case 1:
                return (b & 0x3f) << 8 | u8(what);
            case 2:
                if (b == 0x80) {
                    return u32be(what);
                }
                if (b == 0x81) {
                    byte[] v = bytes(8, what);
                    return be64(v, 0);
                }
                throw new RdbException(start, "expected a length for " + what + ", found the unknown length byte 0x"
                        + Integer.toHexString(b));
            default:
                throw new RdbException(start, "expected a length for " + what + ", found an encoded-string marker 0x"
                        + Integer.toHexString(b));
        }
    }

    /** A length that must fit in an int and stay at most {@code max}; {@code what} names it in errors. */
    int count(String what, long max) {
        long start = offset;
        long n = length(what);
        if (n < 0 || n > max) {
            throw new RdbException(start, "expected " + what + " of at most " + max + ", found "
                    + Long.toUnsignedString(n));
        }
        return (int) n;
    }

    private long u32be(String what) {
        byte[] v = bytes(4, what);
        return (v[0] & 0xffL) << 24 | (v[1] & 0xffL) << 16 | (v[2] & 0xffL) << 8 | (v[3] & 0xffL);
    }

    /** An RDB string: raw, an 8/16/32-bit integer (returned as its decimal text) or LZF-compressed. */
    byte[] string(String what) {
        long start = offset;
        int b = u8(what);
        switch (b >>> 6) {
            case 0:
                return bytes(b & 0x3f, what);
            case 1:
                return bytes((b & 0x3f) << 8 | u8(what), what);
            case 2:
                if (b == 0x80) {
                    return bytes(u32be(what), what);
                }
                if (b == 0x81) {
                    return bytes(be64(bytes(8, what), 0), what);
                }
                throw new RdbException(start, "expected a string length for " + what + ", found the unknown length byte 0x"
                        + Integer.toHexString(b));
            default:
                return encoded(b & 0x3f, start, what);
        }
    }

    private byte[] encoded(int kind, long start, String what) {
        switch (kind) {
            case 0:
                return ascii((byte) u8(what));
            case 1: {
                byte[] v = bytes(2, what);
                return ascii((short) ((v[0] & 0xff) | (v[1] & 0xff) << 8));
            }
            case 2: {
                byte[] v = bytes(4, what);
                return ascii((v[0] & 0xff) | (v[1] & 0xff) << 8 | (v[2] & 0xff) << 16 | (v[3] & 0xff) << 24);
            }
            case 3: {
                long clen = length(what + " (compressed length)");
                long len = length(what + " (uncompressed length)");
                if (len > MAX_STRING || clen > MAX_STRING) {
                    throw new RdbException(start, "expected LZF lengths of at most " + MAX_STRING + " for " + what
                            + ", found " + Long.toUnsignedString(clen) + " compressed and " + Long.toUnsignedString(len));
                }
                if (!Lzf.plausible(clen, len)) {
                    throw new RdbException(start, "expected LZF data for " + what + " whose uncompressed length fits"
                            + " its compressed one, found " + Long.toUnsignedString(clen) + " bytes that claim "
                            + Long.toUnsignedString(len) + " (LZF expands at most " + Lzf.MAX_RATIO + " times): the RDB is corrupt");
                }
                byte[] packed = bytes(clen, what + " (LZF data)");
                byte[] out = Lzf.decompress(packed, (int) len);
                if (out == null) {
                    throw new RdbException(start, "expected LZF data for " + what + " that expands to " + len
                            + " bytes, found data that does not");
                }
                return out;
            }
            default:
                throw new RdbException(start, "expected a string encoding 0-3 for " + what + ", found " + kind);
        }
    }

    static byte[] ascii(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    /** A millisecond time as modules, streams and field TTLs store it: 8 bytes little-endian. */
    long millis(String what) {
        return i64le(what);
    }

    // ---- copying what is read (for DUMP payloads)

    /** Starts copying what is read, beginning with {@code first}; gives up once more than {@code limit} bytes. */
    void startCopy(int first, int limit) {
        copy = new byte[Math.min(Math.max(limit, 1), 256)];
        copyLen = 0;
        copyLimit = limit;
        copying = true;
        append(new byte[] {(byte) first}, 0, 1);
    }

    /** Stops copying and forgets what was copied (a value that turned out too big). */
    void abandonCopy() {
        copying = false;
        copy = null;
    }

    /** Stops copying; the bytes read since {@link #startCopy}, or null when they outgrew the limit. */
    byte[] endCopy() {
        byte[] out = copy == null ? null : Arrays.copyOf(copy, copyLen);
        copying = false;
        copy = null;
        return out;
    }

    private void append(byte[] data, int off, int len) {
        if (copy == null) {
            return;
        }
        if ((long) copyLen + len > copyLimit) {
            copy = null;
            copying = false;
            return;
        }
        if (copyLen + len > copy.length) {
            copy = Arrays.copyOf(copy, (int) Math.min(copyLimit, Math.max((long) copy.length * 2, copyLen + len)));
        }
        System.arraycopy(data, off, copy, copyLen, len);
        copyLen += len;
    }
}
