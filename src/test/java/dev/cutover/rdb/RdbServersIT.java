package dev.cutover.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.testing.Servers;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each flavour's own dump of every type and encoding: parsed and compared with the live server,
 * each payload RESTOREd into a fresh server (same DEBUG DIGEST-VALUE), and each key rebuilt from
 * commands on Redis 7.0 (on the same flavour for field TTLs) and compared again.
 */
class RdbServersIT {
    private static final int PART_BYTES = 64 * 1024;
    private static final int[] DBS = {0, 1, 3, 5};

    @RegisterExtension
    final Servers servers = new Servers();

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void readsWhatEachFlavourSaves(Flavour flavour) throws IOException {
        LocalServer source = servers.start(flavour);
        Collector parsed;
        Map<String, LiveKeys.Live> live = new TreeMap<>();
        boolean fieldTtls = Fill.hasFieldTtls(flavour);
        try (Resp r = new Resp(source)) {
            Fill.everything(source, r);
            r.ok("SAVE");
            try (InputStream in = new BufferedInputStream(Files.newInputStream(source.dir().resolve("dump.rdb")))) {
                parsed = Collector.read(in, RdbReader.Options.defaults().withPartBytes(PART_BYTES));
            }
            for (int db : DBS) {
                live.putAll(LiveKeys.all(r, db, fieldTtls, true));
            }
        }
        int expectedVersion = switch (flavour) {
            case REDIS_7 -> 10;
            case REDIS_8 -> 12;
            case REDIS_86 -> 13;
            case VALKEY_8 -> 11;
            case VALKEY_9 -> 80;
        };
        assertEquals(expectedVersion, parsed.version);
        assertEquals(flavour == Flavour.VALKEY_9 ? "VALKEY" : "REDIS", parsed.magic);
        assertTrue(parsed.checksumChecked);
        assertEquals(1, parsed.functions.size());
        assertTrue(new String(parsed.functions.get(0)).contains("name=cutoverlib"));

        Map<String, LiveKeys.Live> read = new TreeMap<>();
        parsed.whole().forEach((k, w) -> read.put(k, LiveKeys.of(w, true, flavour != Flavour.REDIS_7)));
        assertEquals(live.keySet(), read.keySet());
        for (String k : live.keySet()) {
            assertEquals(live.get(k), read.get(k), k);
        }

        Map<String, Keys.Whole> whole = parsed.whole();
        assertTrue(whole.get("5:x5:huge:list").parts().size() > 1, "a big list comes in parts");
        assertTrue(whole.get("5:x5:huge:stream").parts().size() > 1, "a big stream comes in parts");
        assertEquals(1, whole.get("0:x0:huge:string").parts().size(), "a string is one part");
        TreeSet<Integer> types = new TreeSet<>();
        parsed.entries.stream().filter(e -> e.dumpPayload() != null).forEach(e -> types.add(e.dumpPayload()[0] & 0xff));
        System.out.println(flavour + " RDB " + parsed.version + " payload types: " + types);
        if (flavour == Flavour.VALKEY_9) {
            assertTrue(types.contains(22), "Valkey 9 writes field-TTL hashes as type 22");
        }
        if (flavour == Flavour.REDIS_8 || flavour == Flavour.REDIS_86) {
            assertTrue(types.contains(24) && types.contains(25), "Redis 8 writes types 24 and 25");
        }
        if (flavour == Flavour.REDIS_86) {
            assertTrue(types.contains(26) && !types.contains(21), "Redis 8.6 writes every stream as type 26");
            StreamIdempotency idmp = whole.get("0:idmp:stream").meta().idempotency();
            assertEquals(3, idmp.producers().size());
            assertEquals(4, idmp.recordedIds());
        }

        restoresEachPayload(flavour, source, parsed);
        rebuildsFromCommands(flavour, live, parsed);
    }

    private void restoresEachPayload(Flavour flavour, LocalServer source, Collector parsed) {
        LocalServer target = servers.start(flavour);
        int restored = 0;
        try (Resp src = new Resp(source); Resp dst = new Resp(target)) {
            for (RdbEntry e : parsed.entries) {
                if (e.dumpPayload() == null) {
                    continue;
                }
                dst.ok("SELECT", e.db());
                dst.ok("RESTORE", e.key(), Math.max(0, e.expireAtMs()), e.dumpPayload(), "ABSTTL", "REPLACE");
                src.ok("SELECT", e.db());
                assertEquals(Resp.s(src.ok("DEBUG", "DIGEST-VALUE", e.key()).toString()),
                        Resp.s(dst.ok("DEBUG", "DIGEST-VALUE", e.key()).toString()), e.keyText());
                assertEquals(src.ok("PEXPIRETIME", e.key()), dst.ok("PEXPIRETIME", e.key()), e.keyText());
                restored++;
            }
        }
        assertTrue(restored > 40, "restored " + restored);
    }

    private void rebuildsFromCommands(Flavour flavour, Map<String, LiveKeys.Live> live, Collector parsed) {
        LocalServer redis7 = servers.start(Flavour.REDIS_7);
        LocalServer same = Fill.hasFieldTtls(flavour) ? servers.start(flavour) : null;
        try (Resp old = new Resp(redis7); Resp ttl = same == null ? null : new Resp(same)) {
            for (RdbEntry e : parsed.entries) {
                boolean needsTtl = e.value() instanceof RdbValue.HashValue h
                        && h.fields().stream().anyMatch(f -> f.expireAtMs() >= 0)
                        || Keys.text(e.key()).startsWith("fttl:");
                Resp to = needsTtl ? ttl : old;
                to.ok("SELECT", e.db());
                List<List<byte[]>> commands = EntryCommands.of(e, 50);
                for (List<byte[]> c : commands) {
                    assertTrue(c.size() <= 2 + 50 + 3, "a command has at most the args asked for");
                }
                List<Object> replies = to.pipeline(commands);
                for (int i = 0; i < replies.size(); i++) {
                    if (replies.get(i) instanceof Resp.Err err) {
                        throw new AssertionError(Keys.text(commands.get(i).get(0)) + " for " + e.keyText() + ": "
                                + err.message());
                    }
                }
            }
            Map<String, LiveKeys.Live> rebuilt = new TreeMap<>();
            for (int db : DBS) {
                rebuilt.putAll(LiveKeys.all(old, db, false, false));
                if (ttl != null) {
                    rebuilt.putAll(LiveKeys.all(ttl, db, true, false));
                }
            }
            List<String> diffs = new ArrayList<>();
            for (String k : live.keySet()) {
                LiveKeys.Live want = live.get(k);
                if (want.type().equals("stream")) {
                    // Commands cannot carry consumer times, nor (to Redis 7.0) idempotency state.
                    want = new LiveKeys.Live(want.type(), want.items(), want.expireAtMs(),
                            want.streamInfo().stream().filter(s -> !s.startsWith("idmp "))
                                    .map(s -> s.replaceAll(" seen=.*", "")).toList());
                }
                if (!want.equals(rebuilt.get(k))) {
                    diffs.add(k + "\n  want " + want + "\n  got  " + rebuilt.get(k));
                }
            }
            assertEquals(live.keySet(), rebuilt.keySet());
            assertTrue(diffs.isEmpty(), String.join("\n", diffs));
        }
    }
}
