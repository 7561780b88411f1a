package dev.cutover.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Writes told apart from COMMAND flags, with the may-replicate commands COMMAND does not flag. */
class ProxyCommandTableTest {
    private static int flags(CommandTable t, String name) {
        byte[] b = ("xx" + name).getBytes(StandardCharsets.ISO_8859_1);
        return t.lookup(b, 2, name.length());
    }

    @Test
    void flagsComeFromTheServerAndScriptsCountAsWritesUnlessReadOnly() {
        CommandTable t = CommandTable.fromFlags(Map.of("set", List.of("write", "denyoom"), "get", List.of("readonly"),
                "blpop", List.of("write", "blocking"), "eval", List.of("noscript"), "eval_ro", List.of("readonly"),
                "publish", List.of("pubsub"), "client|kill", List.of("admin"), "function|load", List.of("write")), Dialect.REDIS);
        assertTrue((flags(t, "SeT") & CommandTable.WRITE) != 0);
        assertEquals(0, flags(t, "get") & CommandTable.WRITE);
        assertEquals(CommandTable.WRITE | CommandTable.BLOCKING, flags(t, "BLPOP") & 3);
        assertTrue((flags(t, "eval") & CommandTable.WRITE) != 0);
        assertTrue((flags(t, "EVALSHA") & CommandTable.WRITE) != 0, "EVALSHA is a write even when COMMAND omits it");
        assertEquals(0, flags(t, "eval_ro") & CommandTable.WRITE);
        assertTrue((flags(t, "publish") & CommandTable.WRITE) != 0);
        assertTrue((flags(t, "client") & CommandTable.CONTAINER) != 0);
        assertTrue((t.lookup("function|load") & CommandTable.WRITE) != 0);
        assertEquals(0, t.lookup("client|kill") & CommandTable.WRITE);
        assertEquals(0, flags(t, "nosuchcommand"));
        assertTrue(t.fromServer());
    }

    @Test
    void trackedCommandsAreKnownByName() {
        CommandTable t = CommandTable.fallback();
        assertEquals(CommandTable.Special.SELECT, CommandTable.special(flags(t, "select")));
        assertEquals(CommandTable.Special.HELLO, CommandTable.special(flags(t, "Hello")));
        assertEquals(CommandTable.Special.SSUBSCRIBE, CommandTable.special(flags(t, "SSUBSCRIBE")));
        assertEquals(CommandTable.Special.NONE, CommandTable.special(flags(t, "get")));
        assertTrue((flags(t, "incr") & CommandTable.WRITE) != 0, "the built-in list knows the common writes");
        assertFalse(t.fromServer());
    }

    @Test
    void histogramQuantilesAreWithinABucket() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 1000; i++) {
            h.record(i * 1000L);
        }
        long p50 = h.quantile(0.5);
        long p99 = h.quantile(0.99);
        assertTrue(p50 >= 470_000 && p50 <= 500_000, "p50 " + p50);
        assertTrue(p99 >= 930_000 && p99 <= 990_000, "p99 " + p99);
    }
}
