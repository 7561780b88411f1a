package dev.cutover.rdb;

import java.util.Arrays;

/**
 * LZF decompression, as RDB strings use it (liblzf's format: literal runs and back references).
 * The output grows with what the data actually expands to, never with the length the RDB claims:
 * a few bytes that claim gigabytes fail as corrupt, they do not allocate.
 */
final class Lzf {
    /** The most one LZF input byte can expand to: a 3-byte back reference yields 264 bytes. */
    static final int MAX_RATIO = 88;

    private Lzf() {
    }

    /** Whether {@code compressed} bytes of LZF could ever expand to {@code expanded} bytes. */
    static boolean plausible(long compressed, long expanded) {
        return expanded <= compressed * MAX_RATIO + 1;
    }

    /**
     * Expands {@code in} into exactly {@code outLen} bytes.
     *
     * @return null when the data does not expand to exactly {@code outLen} bytes
     */
    static byte[] decompress(byte[] in, int outLen) {
        if (outLen < 0 || !plausible(in.length, outLen)) {
            return null;
        }
        byte[] out = new byte[Math.min(outLen, Math.max(64, in.length * 4))];
        int ip = 0;
        int op = 0;
        while (ip < in.length) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int run = ctrl + 1;
                if (op + run > outLen || ip + run > in.length) {
                    return null;
                }
                out = room(out, op + run, outLen);
                System.arraycopy(in, ip, out, op, run);
                ip += run;
                op += run;
            } else {
                int len = ctrl >>> 5;
                if (len == 7) {
                    if (ip >= in.length) {
                        return null;
                    }
                    len += in[ip++] & 0xff;
                }
                if (ip >= in.length) {
                    return null;
                }
                int ref = op - ((ctrl & 0x1f) << 8) - 1 - (in[ip++] & 0xff);
                len += 2;
                if (ref < 0 || op + len > outLen) {
                    return null;
                }
                out = room(out, op + len, outLen);
                for (int k = 0; k < len; k++) {
                    out[op++] = out[ref++];
                }
            }
        }
        return op == outLen ? (out.length == outLen ? out : Arrays.copyOf(out, outLen)) : null;
    }

    private static byte[] room(byte[] out, int needed, int outLen) {
        if (needed <= out.length) {
            return out;
        }
        return Arrays.copyOf(out, (int) Math.min(outLen, Math.max((long) out.length * 2, needed)));
    }
}
