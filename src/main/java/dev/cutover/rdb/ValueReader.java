package dev.cutover.rdb;

import static dev.cutover.rdb.RdbTypes.*;

import java.nio.charset.StandardCharsets;

/** Reads one key's value of a given type from the stream and hands it to a {@link KeyOut}. */
final class ValueReader {
    private final RdbInput in;
    private final int version;

    ValueReader(RdbInput in, int version) {
        this.in = in;
        this.version = version;
    }

    void read(int type, KeyOut out) {
        switch (type) {
            case STRING -> out.emit(new RdbValue.StringValue(in.string("the string value of " + out.name)), true);
            case LIST -> {
                Chunker<byte[]> c = list(out);
                for (long n = count(out, "list length"); n > 0; n--) {
                    byte[] e = in.string("a list element of " + out.name);
                    c.add(e, e.length);
                }
                c.finish();
            }
            case SET -> {
                Chunker<byte[]> c = set(out);
                for (long n = count(out, "set size"); n > 0; n--) {
                    byte[] e = in.string("a set member of " + out.name);
                    c.add(e, e.length);
                }
                c.finish();
            }
            case ZSET, ZSET_2 -> {
                Chunker<ScoredMember> c = zset(out);
                for (long n = count(out, "sorted set size"); n > 0; n--) {
                    byte[] m = in.string("a sorted set member of " + out.name);
                    double score = type == ZSET_2 ? in.binaryDouble("a score of " + out.name) : textScore(out);
                    c.add(new ScoredMember(m, score), m.length + 8);
                }
                c.finish();
            }
            case HASH -> {
                Chunker<HashField> c = hash(out);
                for (long n = count(out, "hash size"); n > 0; n--) {
                    byte[] f = in.string("a hash field of " + out.name);
                    byte[] v = in.string("a hash value of " + out.name);
                    c.add(new HashField(f, v), f.length + v.length);
                }
                c.finish();
            }
            case HASH_ZIPMAP -> pairs(new Packed.Zipmap(blob(out), at, out.name), hash(out));
            case HASH_ZIPLIST -> pairs(new Packed.Ziplist(blob(out), at, out.name), hash(out));
            case HASH_LISTPACK -> pairs(new Packed.Listpack(blob(out), at, out.name), hash(out));
            case LIST_ZIPLIST -> {
                Chunker<byte[]> c = list(out);
                elements(new Packed.Ziplist(blob(out), at, out.name), c);
                c.finish();
            }
            case SET_INTSET, SET_LISTPACK -> {
                Chunker<byte[]> c = set(out);
                byte[] b = blob(out);
                elements(type == SET_INTSET ? new Packed.Intset(b, at, out.name) : new Packed.Listpack(b, at, out.name), c);
                c.finish();
            }
            case ZSET_ZIPLIST, ZSET_LISTPACK -> {
                Chunker<ScoredMember> c = zset(out);
                byte[] b = blob(out);
                Packed p = type == ZSET_ZIPLIST ? new Packed.Ziplist(b, at, out.name) : new Packed.Listpack(b, at, out.name);
                while (p.hasNext()) {
                    byte[] m = p.next();
                    if (!p.hasNext()) {
                        throw p.corrupt("a score after member \"" + Packed.printable(m) + "\"", "the end");
                    }
                    c.add(new ScoredMember(m, parseScore(p, p.next())), m.length + 8);
                }
                c.finish();
            }
            case LIST_QUICKLIST, LIST_QUICKLIST_2 -> quicklist(type, out);
            case STREAM_LISTPACKS, STREAM_LISTPACKS_2, STREAM_LISTPACKS_3, STREAM_LISTPACKS_4 ->
                    new StreamReader(in, out).read(type);
            case MODULE_PRE_GA -> {
                long id = in.length("the module id of " + out.name);
                throw RdbException.unsupported(in.offset(), out.name + " holds a value of module \""
                        + RdbTypes.moduleName(id) + "\" in the pre-4.0 module format, which cannot be skipped"
                        + " without the module; remove the key or load the module's own converter");
            }
            case MODULE_2 -> {
                long id = in.length("the module id of " + out.name);
                skipModuleValue(out.name + " (module \"" + RdbTypes.moduleName(id) + "\")");
                out.emit(new RdbValue.ModuleValue(RdbTypes.moduleName(id), id), true);
            }
            default -> hashWithTtls(type, out);
        }
    }

    private void hashWithTtls(int type, KeyOut out) {
        if (version >= VALKEY_FIRST && type == VALKEY_HASH_2) {
            Chunker<HashField> c = hash(out);
            for (long n = count(out, "hash size"); n > 0; n--) {
                byte[] f = in.string("a hash field of " + out.name);
                byte[] v = in.string("a hash value of " + out.name);
                long ttl = in.millis("a hash field expiry of " + out.name);
                c.add(new HashField(f, v, ttl < 0 ? -1 : ttl), f.length + v.length + 8);
            }
            c.finish();
            return;
        }
        if (version < 12 || version >= VALKEY_FIRST) {
            throw new RdbException(in.offset() - 1, "expected a value type for " + out.name + ", found type " + type);
        }
        switch (type) {
            case HASH_METADATA_PRE_GA, HASH_METADATA -> {
                long min = type == HASH_METADATA ? in.millis("the earliest field expiry of " + out.name) : 0;
                Chunker<HashField> c = hash(out);
                for (long n = count(out, "hash size"); n > 0; n--) {
                    long ttl = in.length("a hash field TTL of " + out.name);
                    byte[] f = in.string("a hash field of " + out.name);
                    byte[] v = in.string("a hash value of " + out.name);
                    long at = ttl == 0 ? -1 : type == HASH_METADATA ? ttl + min - 1 : ttl;
                    c.add(new HashField(f, v, at), f.length + v.length + 8);
                }
                c.finish();
            }
            case HASH_LISTPACK_EX_PRE_GA, HASH_LISTPACK_EX -> {
                if (type == HASH_LISTPACK_EX) {
                    in.millis("the earliest field expiry of " + out.name);
                }
                Chunker<HashField> c = hash(out);
                Packed p = new Packed.Listpack(blob(out), at, out.name);
                while (p.hasNext()) {
                    byte[] f = p.next();
                    byte[] v = p.hasNext() ? p.next() : null;
                    if (v == null || !p.hasNext()) {
                        throw p.corrupt("a value and a TTL after field \"" + Packed.printable(f) + "\"", "the end");
                    }
                    long ttl = p.nextLong();
                    c.add(new HashField(f, v, ttl == 0 ? -1 : ttl), f.length + v.length + 8);
                }
                c.finish();
            }
            default -> throw new RdbException(in.offset() - 1, "expected a value type for " + out.name
                    + ", found type " + type);
        }
    }

    private void quicklist(int type, KeyOut out) {
        Chunker<byte[]> c = list(out);
        for (long n = count(out, "quicklist node count"); n > 0; n--) {
            int container = 2;
            if (type == LIST_QUICKLIST_2) {
                long start = in.offset();
                long kind = in.length("a quicklist node kind of " + out.name);
                if (kind != 1 && kind != 2) {
                    throw new RdbException(start, "expected a quicklist node kind of 1 (plain) or 2 (packed) in "
                            + out.name + ", found " + kind);
                }
                container = (int) kind;
            }
            byte[] b = blob(out);
            if (container == 1) {
                c.add(b, b.length);
            } else if (type == LIST_QUICKLIST_2) {
                elements(new Packed.Listpack(b, at, out.name), c);
            } else {
                elements(new Packed.Ziplist(b, at, out.name), c);
            }
        }
        c.finish();
    }

    /** Where the last blob's string started, for error messages. */
    private long at;

    private byte[] blob(KeyOut out) {
        at = in.offset();
        return in.string("the encoded value of " + out.name);
    }

    private long count(KeyOut out, String what) {
        long start = in.offset();
        long n = in.length("the " + what + " of " + out.name);
        if (n < 0) {
            throw new RdbException(start, "expected the " + what + " of " + out.name + ", found "
                    + Long.toUnsignedString(n));
        }
        return n;
    }

    private static void elements(Packed p, Chunker<byte[]> c) {
        while (p.hasNext()) {
            byte[] e = p.next();
            c.add(e, e.length);
        }
    }

    private static void pairs(Packed p, Chunker<HashField> c) {
        while (p.hasNext()) {
            byte[] f = p.next();
            if (!p.hasNext()) {
                throw p.corrupt("a value after field \"" + Packed.printable(f) + "\"", "the end");
            }
            byte[] v = p.next();
            c.add(new HashField(f, v), f.length + v.length);
        }
        c.finish();
    }

    private double textScore(KeyOut out) {
        long start = in.offset();
        int len = in.u8("a score of " + out.name);
        return switch (len) {
            case 253 -> Double.NaN;
            case 254 -> Double.POSITIVE_INFINITY;
            case 255 -> Double.NEGATIVE_INFINITY;
            default -> {
                String text = new String(in.bytes(len, "a score of " + out.name), StandardCharsets.US_ASCII);
                Double d = parseDouble(text);
                if (d == null) {
                    throw new RdbException(start, "expected a score of " + out.name + ", found \"" + text + "\"");
                }
                yield d;
            }
        };
    }

    private static double parseScore(Packed p, byte[] text) {
        Double d = parseDouble(new String(text, StandardCharsets.US_ASCII));
        if (d == null) {
            throw p.corrupt("a score", "\"" + Packed.printable(text) + "\"");
        }
        return d;
    }

    /** Parses a score as the server writes it ("inf", "-inf", or what strtod reads); null if it is not one. */
    static Double parseDouble(String text) {
        switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            case "nan", "-nan":
                return Double.NaN;
            default:
                break;
        }
        if (text.isEmpty() || text.endsWith("d") || text.endsWith("D") || text.endsWith("f") || text.endsWith("F")) {
            return null;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Skips a module value written with the RDB_MODULE_OPCODE_* annotations, up to its EOF opcode. */
    void skipModuleValue(String what) {
        while (true) {
            long start = in.offset();
            long op = in.length("a module opcode of " + what);
            switch ((int) Math.min(op, 99)) {
                case 0 -> {
                    return;
                }
                case 1, 2 -> in.length("an integer of " + what);
                case 3 -> in.bytes(4, "a float of " + what);
                case 4 -> in.bytes(8, "a double of " + what);
                case 5 -> in.string("a string of " + what);
                default -> throw new RdbException(start, "expected a module opcode 0-5 in " + what + ", found " + op);
            }
        }
    }

    private static Chunker<byte[]> list(KeyOut out) {
        return new Chunker<>(out, RdbValue.ListValue::new);
    }

    private static Chunker<byte[]> set(KeyOut out) {
        return new Chunker<>(out, RdbValue.SetValue::new);
    }

    private static Chunker<ScoredMember> zset(KeyOut out) {
        return new Chunker<>(out, RdbValue.SortedSetValue::new);
    }

    private static Chunker<HashField> hash(KeyOut out) {
        return new Chunker<>(out, RdbValue.HashValue::new);
    }
}
