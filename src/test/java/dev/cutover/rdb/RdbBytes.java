package dev.cutover.rdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes small RDB files by hand, for tests of what real servers do not produce on demand. */
final class RdbBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static RdbBytes redis(int version) {
        RdbBytes b = new RdbBytes();
        b.raw(String.format("REDIS%04d", version).getBytes(StandardCharsets.US_ASCII));
        return b;
    }

    RdbBytes raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    RdbBytes u8(int b) {
        out.write(b);
        return this;
    }

    RdbBytes len(long n) {
        if (n >= 0 && n < 64) {
            u8((int) n);
        } else if (n >= 0 && n < 16384) {
            u8(0x40 | (int) (n >>> 8)).u8((int) n & 0xff);
        } else if (n >= 0 && n <= 0xffffffffL) {
            u8(0x80);
            for (int k = 3; k >= 0; k--) {
                u8((int) (n >>> (8 * k)) & 0xff);
            }
        } else {
            u8(0x81);
            for (int k = 7; k >= 0; k--) {
                u8((int) (n >>> (8 * k)) & 0xff);
            }
        }
        return this;
    }

    RdbBytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return len(b.length).raw(b);
    }

    RdbBytes le64(long v) {
        for (int k = 0; k < 8; k++) {
            u8((int) (v >>> (8 * k)) & 0xff);
        }
        return this;
    }

    /** EOF opcode and the checksum of everything before it. */
    byte[] end() {
        u8(255);
        byte[] body = out.toByteArray();
        le64(Crc64.of(body));
        return out.toByteArray();
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
