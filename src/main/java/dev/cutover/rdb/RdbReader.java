package dev.cutover.rdb;

import static dev.cutover.rdb.RdbTypes.*;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Reads one RDB (a file, an AOF's RDB preamble, or a replication snapshot) from start to
 * checksum, in one pass with bounded memory, and calls a visitor in file order.
 *
 * <p>Reads no byte past the RDB's end (the checksum, or the 40-byte EOF mark of a diskless
 * snapshot when {@link Options#eofMark} is set), so the caller can keep reading what follows
 * from the same stream. It reads in small pieces: give it a buffered stream.
 */
public final class RdbReader {
    private static final int MAX_DB = 1 << 20;
    /** Redis 8.6 gives modules seven metadata slots per key. */
    private static final int MAX_KEY_META_CLASSES = 7;

    /**
     * @param rawPayloadLimit the largest value encoding copied into {@link RdbEntry#dumpPayload}
     * @param partBytes       about how many bytes of elements go into one part of a large key
     * @param eofMark         the 40-byte mark that ends a diskless snapshot, or null
     */
    public record Options(int rawPayloadLimit, int partBytes, byte[] eofMark) {
        public Options {
            if (rawPayloadLimit < 0 || partBytes <= 0) {
                throw new IllegalArgumentException("rawPayloadLimit must be >= 0 and partBytes > 0");
            }
            if (eofMark != null && eofMark.length != 40) {
                throw new IllegalArgumentException("a diskless EOF mark has 40 bytes, not " + eofMark.length);
            }
            eofMark = eofMark == null ? null : eofMark.clone();
        }

        public static Options defaults() {
            return new Options(16 << 20, 1 << 20, null);
        }

        public Options withEofMark(byte[] mark) {
            return new Options(rawPayloadLimit, partBytes, mark);
        }

        public Options withPartBytes(int bytes) {
            return new Options(rawPayloadLimit, bytes, eofMark);
        }

        public Options withRawPayloadLimit(int bytes) {
            return new Options(bytes, partBytes, eofMark);
        }
    }

    private final RdbInput in;
    private final Options options;

    public RdbReader(InputStream in, Options options) {
        this.in = new RdbInput(Objects.requireNonNull(in, "in"));
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Bytes consumed so far; safe to call from another thread to show progress. */
    public long offset() {
        return in.published();
    }

    /** Reads one whole RDB (header .. EOF opcode .. checksum), calling the visitor in file order. */
    public void read(RdbVisitor visitor) {
        int version = header(visitor);
        ValueReader values = new ValueReader(in, version);
        int db = 0;
        long expireAt = -1;
        long idle = -1;
        int freq = -1;
        while (true) {
            long at = in.offset();
            int type = in.u8("an opcode or value type");
            switch (type) {
                case OP_EOF -> {
                    finish(visitor, version);
                    return;
                }
                case OP_EXPIRETIME_MS -> expireAt = in.i64le("an expire time");
                case OP_EXPIRETIME -> expireAt = (int) in.u32le("an expire time") * 1000L;
                case OP_IDLE -> idle = in.length("an LRU idle time");
                case OP_FREQ -> freq = in.u8("an LFU frequency");
                case OP_SELECTDB -> {
                    db = in.count("a database number", MAX_DB);
                    visitor.selectDb(db);
                }
                case OP_RESIZEDB -> {
                    long keys = in.length("a RESIZEDB key count");
                    long expires = in.length("a RESIZEDB expires count");
                    visitor.resizeDb(db, keys, expires);
                }
                case OP_AUX -> {
                    byte[] name = in.string("an AUX field name");
                    byte[] value = in.string("the value of AUX field " + Packed.printable(name));
                    visitor.aux(new String(name, StandardCharsets.UTF_8), value);
                }
                case OP_MODULE_AUX -> moduleAux(values);
                case OP_FUNCTION2 -> visitor.function(in.string("a function library"));
                case OP_FUNCTION_PRE_GA -> throw RdbException.unsupported(at, "the file holds functions in the format"
                        + " of Redis 7.0 release candidates (opcode 246), which no released server reads;"
                        + " save it again with Redis 7.0 or later");
                case OP_SLOT_INFO -> {
                    in.length("a slot id");
                    in.length("a slot key count");
                    in.length("a slot expires count");
                }
                default -> {
                    List<KeyMetadata> meta = List.of();
                    if (type == OP_SLOT_IMPORT && version >= VALKEY_FIRST) {
                        slotImport();
                        continue;
                    }
                    if (type == OP_KEY_META && version >= 13 && version < VALKEY_FIRST) {
                        meta = keyMetadata(values);
                        at = in.offset();
                        type = in.u8("the type of a key with metadata");
                        if (!RdbTypes.isValueType(type, version)) {
                            throw new RdbException(at, "expected a value type after a key's metadata, found " + type);
                        }
                    }
                    if (RdbTypes.isValueType(type, version)) {
                        byte[] key = in.string("a key");
                        in.startCopy(type, options.rawPayloadLimit());
                        KeyOut out = new KeyOut(in, visitor, db, key, expireAt, idle, freq, version, options.partBytes(),
                                meta);
                        values.read(type, out);
                        expireAt = -1;
                        idle = -1;
                        freq = -1;
                    } else {
                        throw new RdbException(at, "expected an opcode or a value type known in RDB " + version
                                + ", found " + type);
                    }
                }
            }
        }
    }

    private int header(RdbVisitor visitor) {
        byte[] head = in.bytes(9, "the RDB header");
        String text = new String(head, StandardCharsets.ISO_8859_1);
        String magic;
        String digits;
        if (text.startsWith("REDIS")) {
            magic = "REDIS";
            digits = text.substring(5);
        } else if (text.startsWith("VALKEY")) {
            magic = "VALKEY";
            digits = text.substring(6);
        } else {
            throw new RdbException(0, "expected \"REDIS\" or \"VALKEY\" and a version, found \""
                    + Packed.printable(head) + "\" (not an RDB file)");
        }
        if (!digits.chars().allMatch(Character::isDigit)) {
            throw new RdbException(0, "expected a numeric RDB version after " + magic + ", found \"" + digits + "\"");
        }
        int version = Integer.parseInt(digits);
        boolean known = magic.equals("REDIS") ? version >= 1 && version <= REDIS_LAST : version == VALKEY_FIRST;
        if (!known) {
            throw RdbException.unsupported(5, "RDB version " + version + " (" + magic + ") is not one this reader"
                    + " knows (REDIS 1-" + REDIS_LAST + ", VALKEY " + VALKEY_FIRST + ")");
        }
        visitor.header(version, magic);
        return version;
    }

    private void moduleAux(ValueReader values) {
        long id = in.length("a module id");
        long at = in.offset();
        long when = in.length("a module AUX 'when' opcode");
        if (when != 2) {
            throw new RdbException(at, "expected the unsigned-integer opcode (2) before a module AUX 'when', found " + when);
        }
        in.length("a module AUX 'when'");
        values.skipModuleValue("the AUX data of module \"" + RdbTypes.moduleName(id) + "\"");
    }

    /**
     * Redis 8.6's key metadata (opcode 243): a class count, then per class a 32-bit spec
     * (little-endian: name, version, flags) and the module's data in the annotated module format.
     */
    private List<KeyMetadata> keyMetadata(ValueReader values) {
        long at = in.offset();
        long n = in.length("a key metadata class count");
        if (n < 1 || n > MAX_KEY_META_CLASSES) {
            throw new RdbException(at, "expected 1-" + MAX_KEY_META_CLASSES + " key metadata classes, found "
                    + Long.toUnsignedString(n));
        }
        List<KeyMetadata> classes = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) {
            KeyMetadata meta = KeyMetadata.decode(in.u32le("a key metadata class spec"));
            values.skipModuleValue("the data of key metadata class \"" + meta.className() + "\"");
            classes.add(meta);
        }
        return List.copyOf(classes);
    }

    private void slotImport() {
        in.string("a slot import job name");
        for (long n = in.length("a slot import range count"); n > 0; n--) {
            in.length("a slot range start");
            in.length("a slot range end");
        }
    }

    private void finish(RdbVisitor visitor, int version) {
        boolean checked = false;
        if (version >= 5) {
            long expected = in.crc();
            long at = in.offset();
            long stored = in.i64le("the checksum");
            if (stored != 0) {
                if (stored != expected) {
                    throw new RdbException(at, "expected checksum " + Long.toHexString(expected) + ", found "
                            + Long.toHexString(stored) + " (the file is damaged)");
                }
                checked = true;
            }
        }
        if (options.eofMark() != null) {
            long at = in.offset();
            byte[] mark = in.bytes(40, "the diskless EOF mark");
            if (!Arrays.equals(mark, options.eofMark())) {
                throw new RdbException(at, "expected the EOF mark \"" + Packed.printable(options.eofMark())
                        + "\", found \"" + Packed.printable(mark) + "\"");
            }
        }
        visitor.end(in.offset(), checked);
    }
}
