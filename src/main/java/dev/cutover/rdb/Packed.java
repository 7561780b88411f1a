package dev.cutover.rdb;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over one packed blob (listpack, ziplist, intset or zipmap) that was read whole from
 * the file. Every bounds problem becomes an {@link RdbException} at {@code at}, the file offset
 * where the blob's string starts, with the position inside the blob.
 */
abstract class Packed {
    final byte[] b;
    final long at;
    final String what;
    int pos;

    Packed(byte[] b, long at, String what) {
        this.b = b;
        this.at = at;
        this.what = what;
    }

    abstract boolean hasNext();

    /** The next element as bytes (integers as their decimal text). */
    abstract byte[] next();

    /** The next element as an integer (decimal text is parsed). */
    long nextLong() {
        byte[] v = next();
        return parseLong(v);
    }

    long parseLong(byte[] v) {
        try {
            return Long.parseLong(new String(v, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            throw corrupt("an integer", "\"" + printable(v) + "\"");
        }
    }

    RdbException corrupt(String expected, String found) {
        return new RdbException(at, "expected " + expected + " at position " + pos + " of " + what + ", found " + found);
    }

    void need(long n, String expected) {
        if (n < 0 || pos + n > b.length) {
            throw corrupt(expected, "the end of the " + b.length + "-byte blob");
        }
    }

    int u8() {
        need(1, "a byte");
        return b[pos++] & 0xff;
    }

    long le(int width) {
        need(width, width + " bytes");
        long v = 0;
        for (int k = width - 1; k >= 0; k--) {
            v = v << 8 | (b[pos + k] & 0xff);
        }
        pos += width;
        return v;
    }

    byte[] take(long n) {
        need(n, n + " bytes of data");
        byte[] out = java.util.Arrays.copyOfRange(b, pos, pos + (int) n);
        pos += (int) n;
        return out;
    }

    static String printable(byte[] v) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(v.length, 40); i++) {
            int c = v[i] & 0xff;
            s.append(c >= 32 && c < 127 ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return v.length > 40 ? s + "..." : s.toString();
    }

    /** A listpack: total bytes, element count, entries with back-lengths, 0xFF. */
    static final class Listpack extends Packed {
        private boolean isInt;
        private long intValue;

        Listpack(byte[] b, long at, String what) {
            super(b, at, "the listpack of " + what);
            need(7, "a 6-byte listpack header and its end byte");
            long total = le(4);
            if (total != b.length) {
                throw corrupt("a listpack of " + b.length + " bytes as its header says", "a header saying " + total);
            }
            le(2);
        }

        @Override
        boolean hasNext() {
            need(1, "an entry or the end byte");
            return (b[pos] & 0xff) != 0xff;
        }

        private byte[] entry() {
            int start = pos;
            int e = u8();
            byte[] str = null;
            isInt = true;
            if ((e & 0x80) == 0) {
                intValue = e & 0x7f;
            } else if ((e & 0xc0) == 0x80) {
                str = take(e & 0x3f);
            } else if ((e & 0xe0) == 0xc0) {
                long v = (e & 0x1f) << 8 | u8();
                intValue = v >= 1 << 12 ? v - (1 << 13) : v;
            } else if ((e & 0xf0) == 0xe0) {
                str = take((e & 0x0f) << 8 | u8());
            } else {
                switch (e) {
                    case 0xf0 -> str = take(le(4));
                    case 0xf1 -> intValue = (short) le(2);
                    case 0xf2 -> {
                        long v = le(3);
                        intValue = v >= 1 << 23 ? v - (1 << 24) : v;
                    }
                    case 0xf3 -> intValue = (int) le(4);
                    case 0xf4 -> intValue = le(8);
                    default -> {
                        pos = start;
                        throw corrupt("a listpack entry encoding", "0x" + Integer.toHexString(e));
                    }
                }
            }
            if (str != null) {
                isInt = false;
            }
            int len = pos - start;
            int back = len < 128 ? 1 : len < 16384 ? 2 : len < 2097152 ? 3 : len < 268435456 ? 4 : 5;
            need(back, "the entry's back-length");
            pos += back;
            return str;
        }

        @Override
        byte[] next() {
            byte[] s = entry();
            return isInt ? RdbInput.ascii(intValue) : s;
        }

        @Override
        long nextLong() {
            byte[] s = entry();
            return isInt ? intValue : parseLong(s);
        }
    }

    /** A ziplist: total bytes, tail offset, count, entries with previous-lengths, 0xFF. */
    static final class Ziplist extends Packed {
        private boolean isInt;
        private long intValue;

        Ziplist(byte[] b, long at, String what) {
            super(b, at, "the ziplist of " + what);
            need(11, "a 10-byte ziplist header and its end byte");
            long total = le(4);
            if (total != b.length) {
                throw corrupt("a ziplist of " + b.length + " bytes as its header says", "a header saying " + total);
            }
            le(4);
            le(2);
        }

        @Override
        boolean hasNext() {
            need(1, "an entry or the end byte");
            return (b[pos] & 0xff) != 0xff;
        }

        private byte[] entry() {
            int prev = u8();
            if (prev == 0xfe) {
                le(4);
            } else if (prev == 0xff) {
                throw corrupt("a previous-entry length", "0xff");
            }
            int e = u8();
            isInt = false;
            switch (e >>> 6) {
                case 0:
                    return take(e & 0x3f);
                case 1:
                    return take((e & 0x3f) << 8 | u8());
                case 2:
                    need(4, "a 4-byte string length");
                    long len = (b[pos] & 0xffL) << 24 | (b[pos + 1] & 0xffL) << 16 | (b[pos + 2] & 0xffL) << 8
                            | (b[pos + 3] & 0xffL);
                    pos += 4;
                    return take(len);
                default:
                    break;
            }
            isInt = true;
            switch (e) {
                case 0xc0 -> intValue = (short) le(2);
                case 0xd0 -> intValue = (int) le(4);
                case 0xe0 -> intValue = le(8);
                case 0xf0 -> {
                    long v = le(3);
                    intValue = v >= 1 << 23 ? v - (1 << 24) : v;
                }
                case 0xfe -> intValue = (byte) u8();
                default -> {
                    if (e >= 0xf1 && e <= 0xfd) {
                        intValue = (e & 0x0f) - 1;
                    } else {
                        pos--;
                        throw corrupt("a ziplist entry encoding", "0x" + Integer.toHexString(e));
                    }
                }
            }
            return null;
        }

        @Override
        byte[] next() {
            byte[] s = entry();
            return isInt ? RdbInput.ascii(intValue) : s;
        }

        @Override
        long nextLong() {
            byte[] s = entry();
            return isInt ? intValue : parseLong(s);
        }
    }

    /** An intset: element width (2, 4 or 8), count, little-endian signed integers. */
    static final class Intset extends Packed {
        private final int width;
        private final long count;
        private long read;

        Intset(byte[] b, long at, String what) {
            super(b, at, "the intset of " + what);
            width = (int) le(4);
            if (width != 2 && width != 4 && width != 8) {
                pos -= 4;
                throw corrupt("an intset width of 2, 4 or 8", String.valueOf(width));
            }
            count = le(4);
            if (8 + count * width != b.length) {
                throw corrupt((b.length - 8) / width + " elements as the blob's size says", count + " in its header");
            }
        }

        @Override
        boolean hasNext() {
            return read < count;
        }

        @Override
        byte[] next() {
            return RdbInput.ascii(nextLong());
        }

        @Override
        long nextLong() {
            read++;
            long v = le(width);
            return width == 2 ? (short) v : width == 4 ? (int) v : v;
        }
    }

    /** A zipmap (Redis before 2.6): count, then key/value pairs with free space after values, 0xFF. */
    static final class Zipmap extends Packed {
        private boolean value;

        Zipmap(byte[] b, long at, String what) {
            super(b, at, "the zipmap of " + what);
            u8();
        }

        @Override
        boolean hasNext() {
            if (value) {
                return true;
            }
            need(1, "an entry or the end byte");
            return (b[pos] & 0xff) != 0xff;
        }

        private long len() {
            int first = u8();
            if (first < 254) {
                return first;
            }
            if (first == 254) {
                return le(4);
            }
            throw corrupt("a zipmap length", "0xff");
        }

        @Override
        byte[] next() {
            long len = len();
            if (!value) {
                value = true;
                return take(len);
            }
            value = false;
            int free = u8();
            byte[] out = take(len);
            need(free, free + " free bytes");
            pos += free;
            return out;
        }
    }
}
