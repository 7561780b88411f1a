package dev.cutover.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Command shapes; that they rebuild the same keys is checked on real servers in RdbServersIT. */
class EntryCommandsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> text(List<List<byte[]>> commands) {
        return commands.stream().map(c -> String.join(" ", c.stream().map(Keys::text).toList())).toList();
    }

    private static RdbEntry entry(RdbValue v, boolean first, boolean last, long expireAt) {
        return new RdbEntry(0, b("k"), expireAt, v, first, last, null, 11, -1, -1);
    }

    @Test
    void firstPartDeletesLaterPartsAppendLastPartExpires() {
        RdbValue list = new RdbValue.ListValue(List.of(b("a"), b("b"), b("c"), b("d"), b("e")));
        assertEquals(List.of("DEL k", "RPUSH k a b", "RPUSH k c d", "RPUSH k e"), text(EntryCommands.of(entry(list, true, false, 5), 2)));
        assertEquals(List.of("RPUSH k a b c d e", "PEXPIREAT k 5"), text(EntryCommands.of(entry(list, false, true, 5), 10)));
    }

    @Test
    void scoresRoundTripAndPairsAreNotSplit() {
        RdbValue z = new RdbValue.SortedSetValue(List.of(new ScoredMember(b("a"), 1.5), new ScoredMember(b("b"), Double.NEGATIVE_INFINITY),
                new ScoredMember(b("c"), 3), new ScoredMember(b("d"), 0.1)));
        assertEquals(List.of("DEL k", "ZADD k 1.5 a", "ZADD k -inf b", "ZADD k 3 c", "ZADD k 0.1 d"),
                text(EntryCommands.of(entry(z, true, true, -1), 3)));
    }

    @Test
    void fieldTtlsGroupedByTime() {
        RdbValue h = new RdbValue.HashValue(List.of(new HashField(b("f1"), b("v1"), 100), new HashField(b("f2"), b("v2")),
                new HashField(b("f3"), b("v3"), 100), new HashField(b("f4"), b("v4"), 200)));
        assertEquals(List.of("DEL k", "HSET k f1 v1 f2 v2 f3 v3 f4 v4", "HPEXPIREAT k 100 FIELDS 2 f1 f3",
                "HPEXPIREAT k 200 FIELDS 1 f4"), text(EntryCommands.of(entry(h, true, true, -1), 100)));
        RdbValue plain = new RdbValue.HashValue(List.of(new HashField(b("f"), b("v"))));
        assertTrue(text(EntryCommands.of(entry(plain, true, true, -1), 100)).stream().noneMatch(c -> c.startsWith("HPEXPIREAT")));
    }

    @Test
    void streamGroupsConsumersAndPending() {
        StreamId id = new StreamId(5, 1);
        StreamGroup g = new StreamGroup(b("g"), id, 1, List.of(new PendingEntry(id, 1000, 2, b("c")),
                new PendingEntry(new StreamId(5, 2), 1, 1, null)), List.of(new StreamConsumer(b("c"), 1, -1)));
        RdbValue s = new RdbValue.StreamValue(List.of(new StreamEntry(id, List.of(b("f"), b("v")))),
                new StreamMeta(id, 3, new StreamId(4, 0), id), List.of(g));
        assertEquals(List.of("DEL k", "XADD k 5-1 f v", "XSETID k 5-1 ENTRIESADDED 3 MAXDELETEDID 4-0",
                "XGROUP CREATE k g 5-1 ENTRIESREAD 1", "XGROUP CREATECONSUMER k g c",
                "XCLAIM k g c 0 5-1 TIME 1000 RETRYCOUNT 2 FORCE JUSTID"), text(EntryCommands.of(entry(s, true, true, -1), 100)));
        RdbValue empty = new RdbValue.StreamValue(List.of(), new StreamMeta(id, 1, id, StreamId.ZERO), List.of());
        List<String> made = text(EntryCommands.of(entry(empty, true, true, -1), 100));
        assertTrue(made.get(1).endsWith("MKSTREAM") && made.get(2).startsWith("XGROUP DESTROY"), made.toString());
    }

    @Test
    void moduleValuesCannotBecomeCommands() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EntryCommands.of(entry(new RdbValue.ModuleValue("ReJSON-RL", 1), true, true, -1), 10));
        assertTrue(e.getMessage().contains("\"k\"") && e.getMessage().contains("ReJSON-RL"));
    }
}
