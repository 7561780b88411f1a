package dev.cutover.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.local.ServerSpec;
import dev.cutover.testing.Servers;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each old-encoding fixture, loaded by a real Redis 7.0 (the oracle), against what the reader parsed. */
class RdbFixturesIT {
    @RegisterExtension
    final Servers servers = new Servers();

    @ParameterizedTest
    @ValueSource(strings = {"encodings.rdb", "hash-zipmap.rdb", "hash-ziplist.rdb", "zset-ziplist.rdb",
            "list-quicklist.rdb", "rdb-preamble.aof", "scriptbackup.rdb", "corrupt_empty_keys.rdb"})
    void redis7LoadsTheSameKeysTheReaderParsed(String name) {
        Collector parsed = Collector.read(RdbFixturesTest.DIR.resolve(name));
        LocalServer server = servers.start(ServerSpec.of(Flavour.REDIS_7).withRdb(RdbFixturesTest.DIR.resolve(name)));
        Map<String, LiveKeys.Live> expected = new TreeMap<>();
        Map<String, LiveKeys.Live> actual = new TreeMap<>();
        TreeSet<Integer> dbs = new TreeSet<>();
        dbs.add(0);
        parsed.entries.forEach(e -> dbs.add(e.db()));
        try (Resp r = new Resp(server)) {
            for (int db : dbs) {
                expected.putAll(LiveKeys.all(r, db, false, true));
            }
        }
        parsed.whole().forEach((k, w) -> actual.put(k, LiveKeys.of(w, true, true)));
        assertEquals(expected, actual, name);

        // The old encodings' payloads (zipmap, ziplist, quicklist v1, intset), stamped with the
        // file's version, RESTORE on Redis 7.0 to the value the oracle loaded from the file.
        LocalServer fresh = servers.start(Flavour.REDIS_7);
        try (Resp oracle = new Resp(server); Resp target = new Resp(fresh)) {
            for (RdbEntry e : parsed.entries) {
                assertEquals(parsed.version, DumpPayload.version(e.dumpPayload()));
                oracle.ok("SELECT", e.db());
                target.ok("SELECT", e.db());
                target.ok("RESTORE", e.key(), Math.max(0, e.expireAtMs()), e.dumpPayload(), "ABSTTL", "REPLACE");
                assertEquals(oracle.ok("DEBUG", "DIGEST-VALUE", e.key()).toString(),
                        target.ok("DEBUG", "DIGEST-VALUE", e.key()).toString(), name + " " + e.keyText());
            }
        }
    }
}
