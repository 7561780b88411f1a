package dev.cutover.rdb;

/**
 * The CRC-64 that RDB files and DUMP payloads end with: Jones polynomial, reflected, initial
 * value 0, no final xor (the check value of "123456789" is {@code 0xe9c6d914c4b8d9ca}).
 * Slicing by eight, so checking a large snapshot costs little next to reading it.
 */
public final class Crc64 {
    private static final long POLY = 0x95ac9329ac4bc9b5L;
    private static final long[][] TABLE = new long[8][256];

    static {
        for (int n = 0; n < 256; n++) {
            long crc = n;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY : crc >>> 1;
            }
            TABLE[0][n] = crc;
        }
        for (int n = 0; n < 256; n++) {
            long crc = TABLE[0][n];
            for (int k = 1; k < 8; k++) {
                crc = TABLE[0][(int) (crc & 0xff)] ^ (crc >>> 8);
                TABLE[k][n] = crc;
            }
        }
    }

    private Crc64() {
    }

    /** Continues {@code crc} over {@code len} bytes of {@code data} from {@code off}. */
    public static long update(long crc, byte[] data, int off, int len) {
        int i = off;
        int end = off + len;
        while (end - i >= 8) {
            crc ^= (data[i] & 0xffL) | (data[i + 1] & 0xffL) << 8 | (data[i + 2] & 0xffL) << 16
                    | (data[i + 3] & 0xffL) << 24 | (data[i + 4] & 0xffL) << 32 | (data[i + 5] & 0xffL) << 40
                    | (data[i + 6] & 0xffL) << 48 | (data[i + 7] & 0xffL) << 56;
            crc = TABLE[7][(int) (crc & 0xff)] ^ TABLE[6][(int) ((crc >>> 8) & 0xff)]
                    ^ TABLE[5][(int) ((crc >>> 16) & 0xff)] ^ TABLE[4][(int) ((crc >>> 24) & 0xff)]
                    ^ TABLE[3][(int) ((crc >>> 32) & 0xff)] ^ TABLE[2][(int) ((crc >>> 40) & 0xff)]
                    ^ TABLE[1][(int) ((crc >>> 48) & 0xff)] ^ TABLE[0][(int) (crc >>> 56)];
            i += 8;
        }
        while (i < end) {
            crc = TABLE[0][(int) ((crc ^ data[i]) & 0xff)] ^ (crc >>> 8);
            i++;
        }
        return crc;
    }

    public static long update(long crc, int b) {
        return TABLE[0][(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
    }

    public static long of(byte[] data) {
        return update(0, data, 0, data.length);
    }
}
