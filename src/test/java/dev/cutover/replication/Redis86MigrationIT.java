package dev.cutover.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.testing.Datasets;
import dev.cutover.testing.KeyByKey;
import dev.cutover.testing.Redis;
import dev.cutover.testing.Servers;
import dev.cutover.testing.TestShell;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis 8.6 (RDB 13) into Valkey 9.1, the pair Redis users leave by: plain data natively with
 * rdb-version-check relaxed, hash-field TTLs and a stream with a consumer group through psync
 * and scan mode, every key compared by value and expiry, and what check says before.
 */
class Redis86MigrationIT {
    private static final int[] DBS = {0, 1, 3};

    @RegisterExtension
    final Servers servers = new Servers();

    @TempDir
    Path home;

    /** Strings, lists, sets, sorted sets and hashes (small and big, with key TTLs), no stream. */
    private static void plainData(Redis src) {
        for (int db : DBS) {
            src.sync().select(db);
            String p = "db" + db + ":";
            src.sync().set(p + "string", "hello");
            src.sync().setex(p + "string:ttl", 3600, "later");
            src.sync().set(p + "string:big", "x".repeat(20_000));
            src.sync().rpush(p + "list", "a", "b", "c");
            src.sync().sadd(p + "set", "1", "2", "300000");
            src.sync().zadd(p + "zset", 1.5, "one", -2.0, "two");
            src.sync().hset(p + "hash", java.util.Map.of("f", "v", "g", "2"));
            for (int i = 0; i < 600; i++) {
                src.sync().hset(p + "hash:big", "field-" + i, "value-" + i);
                src.sync().sadd(p + "set:big", "member-" + i);
            }
            src.sync().expire(p + "hash:big", 7200);
        }
        src.sync().select(0);
    }

    /** Hash-field TTLs (listpack and hashtable) and a stream with a group, a PEL and deletions. */
    static void newestData(Redis src) {
        Datasets.everyType(src);
        src.raw("HSET", "ttl:small", "keep", "1", "short", "2", "long", "3");
        src.raw("HPEXPIRE", "ttl:small", 3_600_000, "FIELDS", 1, "short");
        src.raw("HSETEX", "ttl:small", "PX", 7_200_000, "FIELDS", 1, "long", "3");
        for (int i = 0; i < 400; i++) {
            src.raw("HSET", "ttl:big", "f" + i, "value-" + i);
        }
        src.raw("HPEXPIRE", "ttl:big", 5_400_000, "FIELDS", 3, "f1", "f2", "f399");
        src.raw("PEXPIRE", "ttl:big", 9_000_000);
        for (int i = 1; i <= 30; i++) {
            src.raw("XADD", "stream:groups", "1000-" + i, "n", i);
        }
        src.raw("XGROUP", "CREATE", "stream:groups", "g1", "0");
        src.raw("XREADGROUP", "GROUP", "g1", "c1", "COUNT", 5, "STREAMS", "stream:groups", ">");
        src.raw("XREADGROUP", "GROUP", "g1", "c2", "COUNT", 3, "STREAMS", "stream:groups", ">");
        src.raw("XACK", "stream:groups", "g1", "1000-2");
        src.raw("XGROUP", "CREATE", "stream:groups", "g2", "$");
        src.raw("XGROUP", "CREATECONSUMER", "stream:groups", "g2", "idle");
        src.raw("XDEL", "stream:groups", "1000-20", "1000-30");
    }

    /** After the full sync: the same kinds of change, through the command stream. */
    private static void streamedChanges(Redis src) {
        src.raw("HSETEX", "ttl:streamed", "PX", 3_600_000, "FIELDS", 2, "a", "1", "b", "2");
        src.raw("HPEXPIRE", "ttl:small", 1_800_000, "FIELDS", 1, "keep");
        src.raw("XADD", "stream:groups", "2000-1", "after", "sync");
        src.raw("XREADGROUP", "GROUP", "g1", "c3", "COUNT", 2, "STREAMS", "stream:groups", ">");
        src.sync().set("after-sync", "1");
    }

    /** The field TTLs moved (and were compared: both sides report them). */
    private static void fieldTtlsMoved(Redis src, Redis tgt) {
        assertEquals(java.util.Set.of("long", "short", "keep"), KeyByKey.all(tgt, 0).get("ttl:small").fieldExpiries().keySet());
        assertEquals(3, KeyByKey.all(src, 0).get("ttl:big").fieldExpiries().size());
        assertEquals(2, KeyByKey.all(tgt, 0).get("ttl:streamed").fieldExpiries().size());
    }

    private static void sameData(Redis src, Redis tgt) {
        int compared = 0;
        for (int db : DBS) {
            compared += KeyByKey.sameKeys(src, tgt, db);
        }
        assertTrue(compared > 20, "compared " + compared + " keys");
    }

    @Test
    void autoGoesNativeWithRelaxedForPlainData() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_86);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            plainData(src);
            assertEquals(0, shell.run("connect source " + source.uri(), "connect target " + target.uri()).code());
            var check = shell.run("check");
            assertTrue(check.out().contains("! native way there"), check.out());
            assertTrue(check.out().contains("only with rdb-version-check relaxed"), check.out());
            var started = shell.run("replicate");
            assertEquals(0, started.code(), started.all());
            assertTrue(started.out().contains("auto picked native"), started.out());
            assertEquals("relaxed", tgt.config("rdb-version-check"));
            assertEquals(0, shell.run("wait-lag --timeout 60s").code());
            src.sync().set("after-sync", "1");
            assertEquals(0, shell.run("wait-lag --timeout 60s").code());
            sameData(src, tgt);
            assertEquals(0, shell.run("stop --yes").code());
        }
    }

    @Test
    void autoGoesPsyncWithFieldTtlsAndAStreamAndCheckSaysWhy() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_86);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            newestData(src);
            assertEquals(0, shell.run("connect source " + source.uri(), "connect target " + target.uri()).code());
            var check = shell.run("check");
            assertTrue(check.out().contains("✗ native way there"), check.out());
            assertTrue(check.out().contains("hash-field TTLs"), check.out());
            assertTrue(check.out().contains("cannot load RDB 13 values"), check.out());
            assertTrue(check.out().contains("XDELEX (psync: XDEL)") && check.out().contains("DELEX (psync: stops the link)"),
                    check.out());
            var started = shell.run("replicate");
            assertEquals(0, started.code(), started.all());
            assertTrue(started.out().contains("auto picked psync"), started.out());
            streamedChanges(src);
            assertEquals(0, shell.run("wait-lag --timeout 60s").code());
            sameData(src, tgt);
            fieldTtlsMoved(src, tgt);
            assertEquals("1", tgt.sync().get("after-sync"));
            assertEquals(0, shell.run("stop --yes").code());
        }
    }

    @Test
    void checkNamesTheStreamWhenOnlyAStreamStopsNative() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_86);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            plainData(src);
            src.raw("XADD", "only:stream", "1-1", "a", "1");
            assertEquals(0, shell.run("connect source " + source.uri(), "connect target " + target.uri()).code());
            var check = shell.run("check");
            assertTrue(check.out().contains("✗ native way there"), check.out());
            assertTrue(check.out().contains("type 26") && check.out().contains("1 stream key(s)"), check.out());
            var started = shell.run("replicate");
            assertEquals(0, started.code(), started.all());
            assertTrue(started.out().contains("auto picked psync"), started.out());
            assertEquals(0, shell.run("wait-lag --timeout 60s").code());
            sameData(src, tgt);
            assertEquals(0, shell.run("stop --yes").code());
        }
    }

    @Test
    void psyncModeMovesFieldTtlsAndStreams() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_86);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            newestData(src);
            var r = shell.run("connect source " + source.uri(), "connect target " + target.uri(),
                    "replicate --mode psync");
            assertEquals(0, r.code(), r.all());
            streamedChanges(src);
            assertEquals(0, shell.run("wait-lag --timeout 60s").code());
            sameData(src, tgt);
            fieldTtlsMoved(src, tgt);
            assertEquals(0, shell.run("stop --yes").code());
        }
    }

    @Test
    void intoRedis70AutoGoesPsyncAndDecodesEveryValue() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_86);
        LocalServer target = servers.start(Flavour.REDIS_7);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            Datasets.everyType(src);
            var r = shell.run("connect source " + source.uri(), "connect target " + target.uri(), "replicate");
            assertEquals(0, r.code(), r.all());
            assertTrue(r.out().contains("auto picked psync"), r.out());
            src.raw("XADD", "db0:stream", "*", "after", "sync");
            assertEquals(0, shell.run("wait-lag --timeout 60s").code());
            sameData(src, tgt);
            assertEquals(0, shell.run("stop --yes").code());
        }
    }

    @Test
    void valkey91IntoRedis86WithFieldTtlsGoesPsyncAndDecodesValkey080() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_9);
        LocalServer target = servers.start(Flavour.REDIS_86);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            newestData(src);
            var check = shell.run("connect source " + source.uri(), "connect target " + target.uri(), "check");
            assertTrue(check.out().contains("RDB 11, which cannot hold hash-field TTLs"), check.out());
            var r = shell.run("replicate");
            assertEquals(0, r.code(), r.all());
            assertTrue(r.out().contains("auto picked psync"), r.out());
            streamedChanges(src);
            assertEquals(0, shell.run("wait-lag --timeout 60s").code());
            sameData(src, tgt);
            fieldTtlsMoved(src, tgt);
            assertEquals(0, shell.run("stop --yes").code());
        }
    }

    /** Both sides load the module: psync cannot carry the metadata and says so; scan's RESTORE of DUMP does. */
    @Test
    void moduleKeyMetadataStopsPsyncNamingTheKeyAndScanCarriesIt() throws Exception {
        LocalServer source = servers.start(dev.cutover.testing.KeyMetaModule.redis86());
        LocalServer target = servers.start(dev.cutover.testing.KeyMetaModule.redis86());
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            for (Redis r : List.of(src, tgt)) {
                r.raw("KEYMETA.REGISTER", "KMT1", 1, "RDBLOAD:RDBSAVE");
            }
            src.sync().set("plain", "1");
            src.sync().set("tagged", "v");
            src.raw("KEYMETA.SET", "KMT1", "tagged", "owner-7");
            assertEquals(0, shell.run("connect source " + source.uri(), "connect target " + target.uri()).code());
            var check = shell.run("check");
            assertTrue(check.out().contains("! key metadata") && check.out().contains("test_metakey"), check.out());
            var psync = shell.run("replicate --mode psync");
            String all = psync.all() + shell.run("lag").all();
            assertTrue(all.contains("key 'tagged' (db0) carries module key metadata (class KMT1)"), all);
            shell.run("stop --yes");

            var scan = shell.run("replicate --mode scan --flush-target --yes", "wait-lag --timeout 60s");
            assertEquals(0, scan.code(), scan.all());
            assertEquals(List.of("owner-7"), tgt.raw("KEYMETA.GET", "KMT1", "tagged"));
            assertEquals("v", tgt.sync().get("tagged"));
            assertEquals(0, shell.run("stop --yes").code());
        }
    }

    @Test
    void scanModeMovesFieldTtlsAndStreams() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_86);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            newestData(src);
            var r = shell.run("connect source " + source.uri(), "connect target " + target.uri(),
                    "replicate --mode scan");
            assertEquals(0, r.code(), r.all());
            streamedChanges(src);
            assertEquals(0, shell.run("wait-lag --timeout 60s").code());
            sameData(src, tgt);
            fieldTtlsMoved(src, tgt);
            assertEquals(0, shell.run("stop --yes").code());
        }
    }
}
