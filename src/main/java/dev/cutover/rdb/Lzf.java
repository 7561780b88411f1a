package dev.cutover.rdb;

/** LZF decompression, as RDB strings use it (liblzf's format: literal runs and back references). */
final class Lzf {
    private Lzf() {
    }

    /**
     * Expands {@code in} into exactly {@code outLen} bytes.
     *
     * @return null when the data does not expand to exactly {@code outLen} bytes
     */
    static byte[] decompress(byte[] in, int outLen) {
        byte[] out = new byte[outLen];
        int ip = 0;
        int op = 0;
        while (ip < in.length) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < 32) {
                int run = ctrl + 1;
                if (op + run > outLen || ip + run > in.length) {
                    return null;
                }
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
                for (int k = 0; k < len; k++) {
                    out[op++] = out[ref++];
                }
            }
        }
        return op == outLen ? out : null;
    }
}
