package dev.cutover.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Redis 8.6's RDB 13 on hand-made files, laid out as its rdb.c writes them (the real server's
 * files are read in RdbServersIT and Redis86RdbIT): a stream of type 26 and key metadata (243).
 */
class Rdb13Test {
    /** The class spec of "KMT1", version 1, ALLOW_IGNORE, as the real server wrote it (09 f5 c4 28). */
    private static final long KMT1 = 0x28c4f509L;

    @Test
    void decodesAKeyMetadataClassSpec() {
        KeyMetadata m = KeyMetadata.decode(KMT1);
        assertEquals(new KeyMetadata("KMT1", 1, 1), m);
        assertTrue(m.allowIgnore());
        assertEquals(new KeyMetadata("KMT2", 3, 0), KeyMetadata.decode(0x28c4f618L));
    }

    @Test
    void keyMetadataBeforeTheTypeIsSkippedAndNamed() {
        byte[] data = RdbBytes.redis(13).u8(252).le64(4_102_444_800_000L)
                .u8(243).len(2)
                .raw(le32(KMT1)).len(5).str("hello").len(2).len(1).len(0)
                .raw(le32(0x28c4f618L)).len(4).raw(new byte[8]).len(0)
                .u8(0).str("k").str("v").end();
        Collector c = Collector.read(data, RdbReader.Options.defaults());
        RdbEntry e = c.entries.get(0);
        assertEquals("k", e.keyText());
        assertEquals(4_102_444_800_000L, e.expireAtMs());
        assertEquals(List.of(new KeyMetadata("KMT1", 1, 1), new KeyMetadata("KMT2", 3, 0)), e.keyMetadata());
        assertArrayEquals(DumpPayload.of(new byte[] {0, 1, 'v'}, 13), e.dumpPayload(),
                "the payload is the value's, without the metadata");
        assertTrue(c.checksumChecked);
    }

    @Test
    void keyMetadataIsOnlyAnOpcodeInRedisRdb13() {
        byte[] rdb12 = RdbBytes.redis(12).u8(243).len(1).raw(le32(KMT1)).len(0).u8(0).str("k").str("v").end();
        RdbException e = assertThrows(RdbException.class, () -> Collector.read(rdb12, RdbReader.Options.defaults()));
        assertEquals(9, e.offset());
        assertTrue(e.getMessage().contains("found 243"), e.getMessage());
    }

    @Test
    void badKeyMetadataIsRefusedWithWhere() {
        byte[] none = RdbBytes.redis(13).u8(243).len(0).u8(0).str("k").str("v").end();
        RdbException e = assertThrows(RdbException.class, () -> Collector.read(none, RdbReader.Options.defaults()));
        assertTrue(e.getMessage().contains("expected 1-7 key metadata classes, found 0"), e.getMessage());
        byte[] eight = RdbBytes.redis(13).u8(243).len(8).u8(0).str("k").str("v").end();
        assertThrows(RdbException.class, () -> Collector.read(eight, RdbReader.Options.defaults()));
        byte[] thenOpcode = RdbBytes.redis(13).u8(243).len(1).raw(le32(KMT1)).len(0).u8(252).le64(1).end();
        e = assertThrows(RdbException.class, () -> Collector.read(thenOpcode, RdbReader.Options.defaults()));
        assertTrue(e.getMessage().contains("expected a value type after a key's metadata, found 252"), e.getMessage());
        byte[] badOpcode = RdbBytes.redis(13).u8(243).len(1).raw(le32(KMT1)).len(9).u8(0).str("k").str("v").end();
        e = assertThrows(RdbException.class, () -> Collector.read(badOpcode, RdbReader.Options.defaults()));
        assertTrue(e.getMessage().contains("key metadata class \"KMT1\""), e.getMessage());
    }

    @Test
    void streamType26CarriesItsIdempotencyState() {
        Collector c = Collector.read(stream26(300, 50).end(), RdbReader.Options.defaults());
        RdbValue.StreamValue v = (RdbValue.StreamValue) c.entries.get(0).value();
        StreamIdempotency i = v.meta().idempotency();
        assertEquals(300, i.durationSeconds());
        assertEquals(50, i.maxEntries());
        assertEquals(7, i.iidsAdded());
        assertEquals(2, i.iidsDuplicates());
        assertEquals(2, i.producers().size());
        assertEquals("p1", new String(i.producers().get(0).pid(), StandardCharsets.UTF_8));
        assertEquals(new StreamId(5, 0), i.producers().get(0).recorded().get(1).entryId());
        assertEquals("i2", new String(i.producers().get(0).recorded().get(1).iid(), StandardCharsets.UTF_8));
        assertEquals(3, i.recordedIds());
        assertTrue(i.holdsState());
        assertEquals(1, v.groups().size());
        assertEquals(26, c.entries.get(0).dumpPayload()[0]);
    }

    @Test
    void type26IsNotAValueTypeBeforeRdb13() {
        byte[] data = stream26(300, 50).bytes();
        data[8] = '2'; // REDIS0012
        RdbException e = assertThrows(RdbException.class, () -> Collector.read(data, RdbReader.Options.defaults()));
        assertTrue(e.getMessage().contains("found 26"), e.getMessage());
    }

    @Test
    void idempotencySettingsOutsideWhatRedisAcceptsAreRefused() {
        RdbException e = assertThrows(RdbException.class,
                () -> Collector.read(stream26(0, 50).end(), RdbReader.Options.defaults()));
        assertTrue(e.getMessage().contains("idempotency duration (seconds)") && e.getMessage().contains("1-86400"),
                e.getMessage());
        e = assertThrows(RdbException.class,
                () -> Collector.read(stream26(300, 10_001).end(), RdbReader.Options.defaults()));
        assertTrue(e.getMessage().contains("idempotency max entries") && e.getMessage().contains("found 10001"),
                e.getMessage());
    }

    @Test
    void aStreamWithoutIdempotencyBeforeType26HasNone() {
        Collector c = Collector.read(RdbBytes.redis(13).u8(21).str("s").len(0).len(0).len(1).len(0).len(0).len(0)
                .len(0).len(0).len(0).len(0).end(), RdbReader.Options.defaults());
        assertNull(((RdbValue.StreamValue) c.entries.get(0).value()).meta().idempotency());
    }

    /** An empty stream "s" of type 26 with one group, two producers (two ids, one id) and counters 7 and 2. */
    private static RdbBytes stream26(long duration, long maxEntries) {
        return RdbBytes.redis(13).u8(26).str("s")
                .len(0) // listpacks
                .len(0).len(5).len(0) // length, last id 5-0
                .len(0).len(0).len(0).len(0).len(3) // first id, max deleted id, entries added
                .len(1).str("g").len(5).len(0).len(3).len(0).len(0) // group g: last 5-0, read 3, no PEL, no consumers
                .len(duration).len(maxEntries)
                .len(2)
                .str("p1").len(2).str("i1").len(4).len(0).str("i2").len(5).len(0)
                .str("p2").len(1).str("x").len(3).len(0)
                .len(7).len(2);
    }

    private static byte[] le32(long v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }
}
