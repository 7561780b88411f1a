package dev.cutover.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamTranslatorTest {
    private static List<byte[]> cmd(String... words) {
        return Arrays.stream(words).map(w -> w.getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static List<String> words(List<byte[]> command) {
        return command.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    private static List<String> replaced(StreamTranslator.Outcome outcome) {
        StreamTranslator.Replace r = assertInstanceOf(StreamTranslator.Replace.class, outcome);
        assertEquals(1, r.commands().size());
        return words(r.commands().get(0));
    }

    @Test
    void aTargetWithFieldTtlsGetsTheStreamAsItIs() {
        StreamTranslator t = new StreamTranslator(true, false);
        assertInstanceOf(StreamTranslator.Forward.class, t.translate(cmd("HPEXPIREAT", "h", "1", "FIELDS", "1", "f")));
        assertInstanceOf(StreamTranslator.Forward.class, t.translate(cmd("HSETEX", "h", "PX", "5", "FIELDS", "1", "f", "v")));
        assertInstanceOf(StreamTranslator.Forward.class, t.translate(cmd("SET", "k", "v")));
    }

    @Test
    void hgetdelIsHdelEverywhere() {
        for (boolean ttl : new boolean[] {true, false}) {
            assertEquals(List.of("HDEL", "h", "a", "b"),
                    replaced(new StreamTranslator(ttl, false).translate(cmd("hgetdel", "h", "FIELDS", "2", "a", "b"))));
        }
    }

    @Test
    void ttlOnlyCommandsAreRefusedWithTheKeyOrDroppedWhenAccepted() {
        for (String name : List.of("HEXPIRE", "HPEXPIRE", "HEXPIREAT", "HPEXPIREAT", "HPERSIST")) {
            var refused = assertInstanceOf(StreamTranslator.Refuse.class,
                    new StreamTranslator(false, false).translate(cmd(name, "user:1", "10", "FIELDS", "1", "f")));
            assertTrue(refused.reason().contains(name + " 'user:1'"), refused.reason());
            assertTrue(refused.reason().contains("--drop-field-ttl"), refused.reason());
            assertInstanceOf(StreamTranslator.Drop.class,
                    new StreamTranslator(false, true).translate(cmd(name, "user:1", "10", "FIELDS", "1", "f")));
        }
    }

    @Test
    void hsetexBecomesHsetAndItsTtlNeedsTheOperatorsConsent() {
        List<byte[]> withTtl = cmd("HSETEX", "h", "PXAT", "99", "FIELDS", "2", "a", "1", "b", "2");
        assertInstanceOf(StreamTranslator.Refuse.class, new StreamTranslator(false, false).translate(withTtl));
        assertEquals(List.of("HSET", "h", "a", "1", "b", "2"), replaced(new StreamTranslator(false, true).translate(withTtl)));
        assertEquals(List.of("HSET", "h", "a", "1"), replaced(new StreamTranslator(false, false)
                .translate(cmd("HSETEX", "h", "KEEPTTL", "FIELDS", "1", "a", "1"))));
        var conditional = assertInstanceOf(StreamTranslator.Refuse.class, new StreamTranslator(false, true)
                .translate(cmd("HSETEX", "h", "FNX", "FIELDS", "1", "a", "1")));
        assertTrue(conditional.reason().contains("FNX"), conditional.reason());
        assertInstanceOf(StreamTranslator.Refuse.class, new StreamTranslator(false, true).translate(cmd("HSETEX", "h")));
    }

    @Test
    void hgetexWritesOnlyThroughTtls() {
        assertInstanceOf(StreamTranslator.Refuse.class,
                new StreamTranslator(false, false).translate(cmd("HGETEX", "h", "PERSIST", "FIELDS", "1", "a")));
        assertInstanceOf(StreamTranslator.Drop.class,
                new StreamTranslator(false, true).translate(cmd("HGETEX", "h", "PERSIST", "FIELDS", "1", "a")));
    }
}
