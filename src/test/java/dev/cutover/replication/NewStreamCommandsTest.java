package dev.cutover.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Redis 8.2-8.6 stream commands, as Redis 8.6 propagates them, for targets without them. */
class NewStreamCommandsTest {
    private static final StreamFeatures VALKEY = new StreamFeatures(false, false, false);
    private static final StreamFeatures VALKEY_DROPPING = new StreamFeatures(false, false, true);
    private static final StreamFeatures REDIS_86 = new StreamFeatures(true, true, false);

    private static List<byte[]> cmd(String... words) {
        return Arrays.stream(words).map(w -> w.getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static StreamTranslator.Outcome on(StreamFeatures target, String... words) {
        return new StreamTranslator(true, false, target).translate(cmd(words));
    }

    private static List<List<String>> replaced(StreamTranslator.Outcome o) {
        return assertInstanceOf(StreamTranslator.Replace.class, o).commands().stream()
                .map(c -> c.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList()).toList();
    }

    @Test
    void aTargetWithEverythingGetsThemAsTheyAre() {
        assertInstanceOf(StreamTranslator.Forward.class, on(REDIS_86, "XADD", "s", "IDMP", "p", "i", "1-1", "f", "v"));
        assertInstanceOf(StreamTranslator.Forward.class, on(REDIS_86, "XDELEX", "s", "DELREF", "IDS", "1", "1-1"));
        assertInstanceOf(StreamTranslator.Forward.class, on(REDIS_86, "XCFGSET", "s", "IDMP-DURATION", "5"));
    }

    @Test
    void keeprefIsTheOldBehaviour() {
        assertEquals(List.of(List.of("XDEL", "s", "1-1", "2-1")),
                replaced(on(VALKEY, "XDELEX", "s", "IDS", "2", "1-1", "2-1")));
        assertEquals(List.of(List.of("XDEL", "s", "1-1")), replaced(on(VALKEY, "XDELEX", "s", "KEEPREF", "IDS", "1", "1-1")));
        assertEquals(List.of(List.of("XACK", "s", "g", "1-1"), List.of("XDEL", "s", "1-1")),
                replaced(on(VALKEY, "XACKDEL", "s", "g", "KEEPREF", "IDS", "1", "1-1")));
        assertEquals(List.of(List.of("XTRIM", "s", "MAXLEN", "=", "3")),
                replaced(on(VALKEY, "XTRIM", "s", "MAXLEN", "=", "3", "KEEPREF")));
        assertEquals(List.of(List.of("XADD", "s", "MAXLEN", "=", "3", "5-1", "f", "v")),
                replaced(on(VALKEY, "XADD", "s", "KEEPREF", "MAXLEN", "=", "3", "5-1", "f", "v")));
        assertEquals(List.of(List.of("XADD", "s", "5-1", "f", "v")), replaced(on(VALKEY, "XADD", "s", "DELREF", "5-1", "f", "v")),
                "without trimming, a policy changes nothing");
        assertInstanceOf(StreamTranslator.Forward.class, on(VALKEY, "XADD", "s", "5-1", "IDMP", "v"),
                "a field named IDMP after the id is data");
    }

    @Test
    void delrefAndAckedStopTheLinkNamingCommandAndKey() {
        for (List<String> c : List.of(List.of("XDELEX", "orders", "DELREF", "IDS", "1", "1-1"),
                List.of("XACKDEL", "orders", "g", "ACKED", "IDS", "1", "1-1"),
                List.of("XTRIM", "orders", "MINID", "=", "5-0", "DELREF"),
                List.of("XADD", "orders", "ACKED", "MAXLEN", "=", "3", "5-1", "f", "v"))) {
            var r = assertInstanceOf(StreamTranslator.Refuse.class, on(VALKEY, c.toArray(String[]::new)));
            assertTrue(r.reason().startsWith(c.get(0) + " 'orders' with "), r.reason());
            assertTrue(r.reason().contains("Redis 8.2 or later"), r.reason());
        }
        var bad = assertInstanceOf(StreamTranslator.Refuse.class, on(VALKEY, "XDELEX", "s", "IDS", "3", "1-1"));
        assertTrue(bad.reason().contains("cannot read XDELEX 's'"), bad.reason());
    }

    @Test
    void idempotencyIsRefusedWithoutTheFlag() {
        for (String[] c : new String[][] {{"XADD", "s", "IDMP", "p", "i", "1-1", "f", "v"},
                {"XADD", "s", "IDMPAUTO", "p", "1-1", "f", "v"}, {"XCFGSET", "s", "IDMP-DURATION", "5"},
                {"XIDMPRECORD", "s", "p", "i", "1-1"}}) {
            var r = assertInstanceOf(StreamTranslator.Refuse.class, on(VALKEY, c));
            assertTrue(r.reason().contains("'s' uses stream idempotency") && r.reason().contains("--drop-stream-idempotency"),
                    r.reason());
        }
    }

    @Test
    void withTheFlagIdmpIsStrippedAndADuplicateDropped() {
        var stripped = assertInstanceOf(StreamTranslator.Replace.class,
                on(VALKEY_DROPPING, "XADD", "s", "IDMP", "p", "i", "MAXLEN", "=", "9", "1-1", "f", "v"));
        assertEquals(StreamTranslator.Feature.STREAM_IDEMPOTENCY, stripped.dropped());
        assertEquals(List.of(List.of("XADD", "s", "MAXLEN", "=", "9", "1-1", "f", "v")), replaced(stripped));
        assertEquals(List.of(List.of("XADD", "s", "NOMKSTREAM", "7-1", "f", "v")),
                replaced(on(VALKEY_DROPPING, "XADD", "s", "NOMKSTREAM", "IDMPAUTO", "p", "7-1", "f", "v")));
        for (String id : new String[] {"*", "5-*"}) {
            var d = assertInstanceOf(StreamTranslator.Drop.class, on(VALKEY_DROPPING, "XADD", "s", "IDMP", "p", "i", id,
                    "f", "v"));
            assertEquals(StreamTranslator.Feature.STREAM_IDEMPOTENCY, d.feature());
        }
        assertEquals(StreamTranslator.Feature.STREAM_IDEMPOTENCY, assertInstanceOf(StreamTranslator.Drop.class,
                on(VALKEY_DROPPING, "XCFGSET", "s", "IDMP-MAXSIZE", "5")).feature());
    }

    @Test
    void redis82HasThePoliciesButNotIdempotency() {
        StreamFeatures redis82 = new StreamFeatures(false, true, true);
        assertInstanceOf(StreamTranslator.Forward.class, on(redis82, "XDELEX", "s", "DELREF", "IDS", "1", "1-1"));
        assertEquals(List.of(List.of("XADD", "s", "ACKED", "MAXLEN", "=", "2", "1-1", "f", "v")),
                replaced(on(redis82, "XADD", "s", "ACKED", "IDMP", "p", "i", "MAXLEN", "=", "2", "1-1", "f", "v")));
    }
}
