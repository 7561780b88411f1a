package dev.cutover.replication;

import dev.cutover.rdb.DumpPayload;
import dev.cutover.rdb.RdbEntry;
import dev.cutover.rdb.RdbReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a DUMP payload with cutover's RDB reader, for a target that cannot RESTORE it: the
 * payload is wrapped into a one-key RDB of the payload's version.
 */
final class DumpDecoder {
    private DumpDecoder() {
    }

    static List<RdbEntry> decode(byte[] key, byte[] payload, long expireAtMs) {
        int version = DumpPayload.version(payload);
        ByteArrayOutputStream rdb = new ByteArrayOutputStream(payload.length + key.length + 32);
        String magic = version >= 80 ? "VALKEY" + String.format("%03d", version) : "REDIS" + String.format("%04d", version);
        rdb.writeBytes(magic.getBytes(StandardCharsets.US_ASCII));
        if (expireAtMs >= 0) {
            rdb.write(0xFC); // EXPIRETIME_MS, little-endian
            for (int i = 0; i < 8; i++) {
                rdb.write((int) (expireAtMs >>> (8 * i)) & 0xff);
            }
        }
        int type = DumpPayload.typeOffset(payload); // after Redis 8.6's key metadata, which the reader names
        rdb.write(payload, 0, type + 1);
        length(rdb, key.length);
        rdb.writeBytes(key);
        rdb.write(payload, type + 1, payload.length - 11 - type); // the body, without version and checksum
        rdb.write(0xFF);
        rdb.writeBytes(new byte[8]); // checksum 0: not checked (the payload's own was, by the server)
        List<RdbEntry> entries = new ArrayList<>();
        new RdbReader(new ByteArrayInputStream(rdb.toByteArray()), RdbReader.Options.defaults()).read(entries::add);
        return entries;
    }

    private static void length(ByteArrayOutputStream out, int n) {
        if (n < 64) {
            out.write(n);
        } else if (n < 16384) {
            out.write(0x40 | (n >> 8));
            out.write(n & 0xff);
        } else {
            out.write(0x80);
            out.write(n >>> 24);
            out.write((n >>> 16) & 0xff);
            out.write((n >>> 8) & 0xff);
            out.write(n & 0xff);
        }
    }
}
