package dev.cutover.rdb;

import java.util.Arrays;

/**
 * The format DUMP returns and RESTORE takes: the type byte, the value's RDB encoding, the RDB
 * version (2 bytes little-endian) and a CRC-64 of all that (8 bytes little-endian).
 */
public final class DumpPayload {
    private DumpPayload() {
    }

    /** Wraps a type byte and value encoding ({@code typeAndBody}) for RESTORE, stamped with {@code rdbVersion}. */
    public static byte[] of(byte[] typeAndBody, int rdbVersion) {
        if (typeAndBody.length == 0) {
            throw new IllegalArgumentException("a DUMP payload needs at least the type byte");
        }
        byte[] out = Arrays.copyOf(typeAndBody, typeAndBody.length + 10);
        int n = typeAndBody.length;
        out[n] = (byte) rdbVersion;
        out[n + 1] = (byte) (rdbVersion >>> 8);
        long crc = Crc64.update(0, out, 0, n + 2);
        for (int k = 0; k < 8; k++) {
            out[n + 2 + k] = (byte) (crc >>> (8 * k));
        }
        return out;
    }

    /** Wraps {@code type} and {@code body}. */
    public static byte[] of(int type, byte[] body, int rdbVersion) {
        byte[] typeAndBody = new byte[body.length + 1];
        typeAndBody[0] = (byte) type;
        System.arraycopy(body, 0, typeAndBody, 1, body.length);
        return of(typeAndBody, rdbVersion);
    }

    /** Whether the payload is long enough and its checksum matches. */
    public static boolean isValid(byte[] payload) {
        if (payload == null || payload.length < 11) {
            return false;
        }
        int n = payload.length - 8;
        return Crc64.update(0, payload, 0, n) == RdbInput.le64(payload, n);
    }

    /** The RDB version stamped in a payload. */
    public static int version(byte[] payload) {
        requireValid(payload);
        int n = payload.length - 10;
        return (payload[n] & 0xff) | (payload[n + 1] & 0xff) << 8;
    }

    /** The type byte of a payload (after the key metadata that may precede it in Redis 8.6). */
    public static int type(byte[] payload) {
        return payload[typeOffset(payload)] & 0xff;
    }

    /**
     * Where a payload's type byte is: 0, or in a Redis 8.6 payload of a key with module metadata,
     * just after it (opcode 243, a class count, per class a 32-bit spec and annotated module data).
     *
     * @throws RdbException if the metadata is malformed
     */
    public static int typeOffset(byte[] payload) {
        requireValid(payload);
        if ((payload[0] & 0xff) != RdbTypes.OP_KEY_META || version(payload) < 13 || version(payload) >= 80) {
            return 0;
        }
        RdbInput in = new RdbInput(new java.io.ByteArrayInputStream(payload, 1, payload.length - 11));
        long n = in.length("a key metadata class count");
        if (n < 1 || n > 7) {
            throw new RdbException(1, "expected 1-7 key metadata classes in a DUMP payload, found "
                    + Long.toUnsignedString(n));
        }
        ValueReader values = new ValueReader(in, version(payload));
        for (long i = 0; i < n; i++) {
            in.bytes(4, "a key metadata class spec");
            values.skipModuleValue("key metadata in a DUMP payload");
        }
        return 1 + (int) in.offset();
    }

    /**
     * The same value stamped with another version (with a new checksum). Only sound when the
     * value's encoding exists in that version: a target refuses a payload whose version is newer
     * than its own, but it also cannot read a type it does not know.
     */
    public static byte[] restamp(byte[] payload, int rdbVersion) {
        requireValid(payload);
        return of(Arrays.copyOf(payload, payload.length - 10), rdbVersion);
    }

    private static void requireValid(byte[] payload) {
        if (!isValid(payload)) {
            throw new IllegalArgumentException("not a DUMP payload: too short or its checksum does not match");
        }
    }
}
