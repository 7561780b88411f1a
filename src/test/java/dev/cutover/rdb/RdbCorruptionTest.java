package dev.cutover.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Broken input stops with an RdbException that says where and what, never anything else. */
class RdbCorruptionTest {
    private static RdbException fails(byte[] data) {
        return assertThrows(RdbException.class, () -> Collector.read(data, RdbReader.Options.defaults()));
    }

    @Test
    void everyCutOfARealFileFailsAtTheCut() throws IOException {
        for (String name : List.of("encodings.rdb", "list-quicklist.rdb", "hash-ziplist.rdb", "rdb-preamble.aof")) {
            byte[] full = RdbFixturesTest.bytes(name);
            int rdbLength = (int) Collector.read(full, RdbReader.Options.defaults()).endBytes;
            for (int cut = 0; cut < rdbLength; cut++) {
                RdbException e = fails(Arrays.copyOf(full, cut));
                assertTrue(e.offset() <= cut, name + " cut at " + cut + ": " + e.getMessage());
                assertTrue(e.getMessage().contains("expected"), e.getMessage());
            }
        }
    }

    @Test
    void everyFlippedByteFailsCleanlyOrIsCaughtByTheChecksum() throws IOException {
        byte[] full = RdbFixturesTest.bytes("hash-ziplist.rdb");
        for (int i = 0; i < full.length; i++) {
            for (int bit : new int[] {0x01, 0x80, 0xff}) {
                byte[] bad = full.clone();
                bad[i] ^= (byte) bit;
                try {
                    Collector.read(bad, RdbReader.Options.defaults());
                } catch (RdbException expected) {
                    continue;
                }
                // Only the checksum bytes' own value or a skipped aux text can change without notice: none here.
                throw new AssertionError("flipping byte " + i + " went unnoticed");
            }
        }
    }

    @Test
    void checksumMismatchNamesBothValues() {
        byte[] data = RdbBytes.redis(9).u8(0).str("k").str("v").end();
        data[data.length - 1] ^= 1;
        RdbException e = fails(data);
        assertEquals(data.length - 8, e.offset());
        assertTrue(e.getMessage().contains("expected checksum"), e.getMessage());
    }

    @Test
    void zeroChecksumMeansUnchecked() {
        byte[] data = RdbBytes.redis(9).u8(0).str("k").str("v").end();
        Arrays.fill(data, data.length - 8, data.length, (byte) 0);
        Collector c = Collector.read(data, RdbReader.Options.defaults());
        assertEquals(1, c.entries.size());
        assertTrue(!c.checksumChecked);
    }

    @Test
    void bogusLengthsFailWithoutAHugeAllocation() {
        // A string claiming 2 GiB - 100 bytes, and one claiming 2^62.
        byte[] a = RdbBytes.redis(9).u8(0).str("k").u8(0x80).raw(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0x9b})
                .raw(new byte[100]).bytes();
        assertTrue(fails(a).getMessage().contains("found the end of the stream"));
        byte[] b = RdbBytes.redis(9).u8(0).str("k").u8(0x81).raw(new byte[] {0x40, 0, 0, 0, 0, 0, 0, 0}).bytes();
        assertTrue(fails(b).getMessage().contains("at most"), fails(b).getMessage());
        // A list claiming 2^62 elements ends at the end of the stream, not in a loop or an allocation.
        byte[] c = RdbBytes.redis(9).u8(1).str("k").u8(0x81).raw(new byte[] {0x40, 0, 0, 0, 0, 0, 0, 0}).str("x").bytes();
        assertTrue(fails(c).getMessage().contains("end of the stream"));
        // A listpack whose header lies about its size.
        byte[] lp = {(byte) 0xff, 0, 0, 0, 0, 0, (byte) 0xff};
        byte[] d = RdbBytes.redis(10).u8(20).str("k").len(lp.length).raw(lp).end();
        assertTrue(fails(d).getMessage().contains("listpack"), fails(d).getMessage());
        // An LZF string whose data does not expand to its stated length.
        byte[] e = RdbBytes.redis(9).u8(0).str("k").u8(0xc3).len(3).len(50).raw(new byte[] {0x01, 'a', 'a'}).end();
        assertTrue(fails(e).getMessage().contains("LZF"), fails(e).getMessage());
        // Eleven bytes of LZF that claim 2 GiB: corrupt, said at once, nothing of that size allocated.
        byte[] f = RdbBytes.redis(9).u8(0).str("k").u8(0xc3).len(5).len(0x7fffff00L)
                .raw(new byte[] {0x01, 'a', 'a', (byte) 0xe0, 0x00}).end();
        RdbException lzf = fails(f);
        assertTrue(lzf.getMessage().contains("claim 2147483392") && lzf.getMessage().contains("corrupt"), lzf.getMessage());
    }

    @Test
    void notAnRdbAndUnknownVersionsAreNamed() {
        assertTrue(fails("HELLO0009".getBytes(StandardCharsets.US_ASCII)).getMessage().contains("not an RDB file"));
        assertTrue(fails(RdbBytes.redis(14).end()).getMessage().contains("RDB version 14"));
        assertTrue(fails("VALKEY081\u00ff".getBytes(StandardCharsets.ISO_8859_1)).getMessage().contains("RDB version 81"));
    }

    @Test
    void unknownTypeAndOldFunctionsAndPreGaModulesAreRefused() {
        assertTrue(fails(RdbBytes.redis(11).u8(22).str("k").end()).getMessage().contains("found 22"));
        assertTrue(fails(RdbBytes.redis(10).u8(246).end()).getMessage().contains("release candidates"));
        long id = moduleId("mymodule1", 3);
        RdbException e = fails(RdbBytes.redis(9).u8(6).str("k").len(id).end());
        assertTrue(e.getMessage().contains("\"mymodule1\"") && e.getMessage().contains("key \"k\""), e.getMessage());
    }

    static long moduleId(String name, int encver) {
        String set = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        long id = 0;
        for (char ch : name.toCharArray()) {
            id = id << 6 | set.indexOf(ch);
        }
        return id << 10 | encver;
    }
}
