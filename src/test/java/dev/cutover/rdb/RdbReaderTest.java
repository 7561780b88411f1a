package dev.cutover.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reader behaviour on hand-made files: parts, payloads, opcodes real servers rarely write. */
class RdbReaderTest {
    private static final byte[] MARK = "0123456789abcdef0123456789abcdef01234567".getBytes(StandardCharsets.US_ASCII);

    @Test
    void disklessEofMarkIsConsumedAndChecked() {
        byte[] rdb = RdbBytes.redis(11).u8(0).str("k").str("v").end();
        byte[] tail = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteArrayInputStream in = new ByteArrayInputStream(concat(rdb, MARK, tail));
        Collector c = Collector.read(in, RdbReader.Options.defaults().withEofMark(MARK));
        assertEquals(rdb.length + 40, c.endBytes);
        assertEquals(tail.length, in.available());

        byte[] wrong = MARK.clone();
        wrong[39] = 'x';
        RdbException e = assertThrows(RdbException.class,
                () -> Collector.read(concat(rdb, wrong), RdbReader.Options.defaults().withEofMark(MARK)));
        assertEquals(rdb.length, e.offset());
        assertThrows(RdbException.class, () -> Collector.read(rdb, RdbReader.Options.defaults().withEofMark(MARK)));
    }

    @Test
    void largeListComesInPartsWithoutPayload() {
        RdbBytes b = RdbBytes.redis(9).u8(252).le64(1_900_000_000_000L).u8(1).str("big").len(1000);
        for (int i = 0; i < 1000; i++) {
            b.str("element-" + i);
        }
        Collector c = Collector.read(b.end(), RdbReader.Options.defaults().withPartBytes(1000));
        assertTrue(c.entries.size() > 5, "parts: " + c.entries.size());
        assertTrue(c.entries.get(0).first() && !c.entries.get(0).last());
        assertTrue(c.entries.get(c.entries.size() - 1).last());
        c.entries.forEach(e -> assertNull(e.dumpPayload()));
        c.entries.forEach(e -> assertEquals(1_900_000_000_000L, e.expireAtMs()));
        Keys.Whole w = c.whole().get("0:big");
        assertEquals(1000, w.items().size());
        assertEquals("element-999", w.items().get(999));
    }

    @Test
    void smallValueCarriesTheExactPayload() {
        byte[] data = RdbBytes.redis(9).u8(248).len(77).u8(249).u8(5).u8(2).str("s").len(2).str("a").str("b").end();
        Collector c = Collector.read(data, RdbReader.Options.defaults());
        RdbEntry e = c.entries.get(0);
        assertEquals(77, e.idleSeconds());
        assertEquals(5, e.lfuFreq());
        byte[] expected = DumpPayload.of(new byte[] {2, 2, 1, 'a', 1, 'b'}, 9);
        assertArrayEquals(expected, e.dumpPayload());
        Collector tooSmall = Collector.read(data, RdbReader.Options.defaults().withRawPayloadLimit(3));
        assertNull(tooSmall.entries.get(0).dumpPayload());
    }

    @Test
    void moduleValuesAreSkippedByTheirOpcodesAndAuxToo() {
        long id = RdbCorruptionTest.moduleId("ReJSON-RL", 3);
        byte[] data = RdbBytes.redis(9)
                .u8(247).len(id).len(2).len(2).len(5).str("aux").len(0)
                .u8(7).str("doc").len(id).len(2).len(9).len(4).le64(Double.doubleToLongBits(1.5)).len(3)
                .raw(new byte[4]).len(5).str("{}").len(0)
                .u8(0).str("after").str("x").end();
        Collector c = Collector.read(data, RdbReader.Options.defaults());
        RdbValue.ModuleValue m = (RdbValue.ModuleValue) c.entries.get(0).value();
        assertEquals("ReJSON-RL", m.moduleName());
        assertEquals(id, m.moduleId());
        assertNotNull(c.entries.get(0).dumpPayload());
        assertEquals("after", c.entries.get(1).keyText());
    }

    @Test
    void functionsSlotInfoAndResizeDb() {
        byte[] data = RdbBytes.redis(11).u8(245).str("#!lua name=lib\nreturn 1").u8(254).len(2).u8(251).len(1).len(0)
                .u8(244).len(100).len(1).len(0).u8(0).str("k").str("v").end();
        Collector c = Collector.read(data, RdbReader.Options.defaults());
        assertEquals("#!lua name=lib\nreturn 1", new String(c.functions.get(0)));
        assertEquals(2, c.entries.get(0).db());
    }

    @Test
    void redisFieldTtlHashes() {
        long min = 1_900_000_000_000L;
        // RDB_TYPE_HASH_METADATA: the earliest expiry, then [ttl relative to it + 1 | 0][field][value].
        byte[] data = RdbBytes.redis(12).u8(24).str("h").le64(min).len(2)
                .len(0).str("f1").str("v1")
                .len(11).str("f2").str("v2").end();
        Keys.Whole w = Collector.read(data, RdbReader.Options.defaults()).whole().get("0:h");
        assertEquals(List.of("f1=v1", "f2=v2@" + (min + 10)), w.items());
        // The pre-GA form stores absolute TTLs and no earliest expiry.
        byte[] pre = RdbBytes.redis(12).u8(22).str("h").len(1).len(min).str("f").str("v").end();
        assertEquals(List.of("f=v@" + min), Collector.read(pre, RdbReader.Options.defaults()).whole().get("0:h").items());
    }

    @Test
    void valkeyHash2AndSlotImport() {
        RdbBytes b = new RdbBytes().raw("VALKEY080".getBytes(StandardCharsets.US_ASCII))
                .u8(243).str("a".repeat(40)).len(1).len(0).len(100)
                .u8(22).str("h").len(2).str("f1").str("v1").le64(-1).str("f2").str("v2").le64(1_900_000_000_000L);
        Collector c = Collector.read(b.end(), RdbReader.Options.defaults());
        assertEquals("VALKEY", c.magic);
        assertEquals(80, c.version);
        assertEquals(List.of("f1=v1", "f2=v2@1900000000000"), c.whole().get("0:h").items());
        assertEquals(80, DumpPayload.version(c.entries.get(0).dumpPayload()));
    }

    /** A 60 MB list generated on the fly: parts stay near partBytes, nothing holds the whole value. */
    @Test
    void aHugeListStreamsThroughInBoundedParts() {
        int n = 60_000;
        byte[] element = new byte[1000];
        java.util.Arrays.fill(element, (byte) 'e');
        byte[] head = RdbBytes.redis(4).u8(1).str("huge").len(n).bytes();
        byte[] one = new RdbBytes().len(element.length).raw(element).bytes();
        java.io.InputStream in = new java.io.InputStream() {
            long pos;
            final long total = head.length + (long) n * one.length + 1;

            @Override
            public int read() {
                if (pos >= total) {
                    return -1;
                }
                long p = pos++;
                if (p < head.length) {
                    return head[(int) p] & 0xff;
                }
                p -= head.length;
                return p == (long) n * one.length ? 0xff : one[(int) (p % one.length)] & 0xff;
            }
        };
        long[] stats = new long[3];
        new RdbReader(new java.io.BufferedInputStream(in), RdbReader.Options.defaults()).read(e -> {
            List<byte[]> part = ((RdbValue.ListValue) e.value()).elements();
            long bytes = part.stream().mapToLong(x -> x.length).sum();
            stats[0] += part.size();
            stats[1]++;
            stats[2] = Math.max(stats[2], bytes);
            assertNull(e.dumpPayload());
        });
        assertEquals(n, stats[0]);
        assertTrue(stats[1] > 50, "parts: " + stats[1]);
        assertTrue(stats[2] <= (1 << 20) + 1000, "largest part: " + stats[2]);
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
