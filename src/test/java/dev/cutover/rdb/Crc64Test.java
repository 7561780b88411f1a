package dev.cutover.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc64Test {
    @Test
    void checkValueOfTheStandardString() {
        assertEquals(0xe9c6d914c4b8d9caL, Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void slicedAndBytewiseAgree() {
        byte[] data = new byte[1000];
        new Random(7).nextBytes(data);
        long bytewise = 0;
        for (byte b : data) {
            bytewise = Crc64.update(bytewise, b);
        }
        assertEquals(bytewise, Crc64.of(data));
        long split = Crc64.update(Crc64.update(0, data, 0, 333), data, 333, 667);
        assertEquals(bytewise, split);
    }

    @Test
    void dumpPayloadRoundTrip() {
        byte[] p = DumpPayload.of(0, new byte[] {3, 'f', 'o', 'o'}, 11);
        assertTrue(DumpPayload.isValid(p));
        assertEquals(11, DumpPayload.version(p));
        assertEquals(0, DumpPayload.type(p));
        byte[] again = DumpPayload.restamp(p, 80);
        assertEquals(80, DumpPayload.version(again));
        p[2] ^= 1;
        assertFalse(DumpPayload.isValid(p));
    }

    @Test
    void knownDumpOfAString() {
        // What Redis 7.0 returns for DUMP of SET k foo: "\x00\x03foo\n\x00" and its checksum.
        byte[] p = DumpPayload.of(0, new byte[] {3, 'f', 'o', 'o'}, 10);
        assertEquals(4 + 1 + 2 + 8, p.length);
        assertEquals(10, p[5]);
        assertEquals(0, p[6]);
    }
}
