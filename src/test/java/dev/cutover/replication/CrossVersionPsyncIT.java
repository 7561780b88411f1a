package dev.cutover.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.ExitCode;
import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.testing.Datasets;
import dev.cutover.testing.Eventually;
import dev.cutover.testing.Redis;
import dev.cutover.testing.Servers;
import dev.cutover.testing.TestShell;
import dev.cutover.testing.WriteLoad;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migrations only psync mode can do: Redis 8 (RDB 12) into Valkey 9, and Valkey 9 (VALKEY080)
 * into servers without hash-field TTLs. Real servers of the matrix, under write load.
 */
class CrossVersionPsyncIT {
    @RegisterExtension
    final Servers servers = new Servers();

    @TempDir
    Path home;

    /** Any command, for the ones Lettuce's typed API lacks (HSETEX, HPEXPIRE, HGETDEL ...). */
    private static Object raw(Redis redis, String... words) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
        for (int i = 1; i < words.length; i++) {
            args.add(words[i]);
        }
        return redis.sync().dispatch(new io.lettuce.core.protocol.ProtocolKeyword() {
            @Override
            public byte[] getBytes() {
                return words[0].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            }

            @Override
            public String toString() {
                return words[0];
            }
        }, new io.lettuce.core.output.NestedMultiOutput<>(StringCodec.UTF8), args);
    }

    /** Hashes whose fields carry TTLs: a small (listpack) one and a big (hashtable) one. */
    private static void fieldTtlHashes(Redis src) {
        raw(src, "HSET", "ttl:small", "keep", "1", "short", "2", "long", "3");
        raw(src, "HPEXPIRE", "ttl:small", "3600000", "FIELDS", "1", "short");
        raw(src, "HPEXPIRE", "ttl:small", "7200000", "FIELDS", "1", "long");
        for (int i = 0; i < 400; i++) {
            raw(src, "HSET", "ttl:big", "f" + i, "value-" + i);
        }
        raw(src, "HPEXPIRE", "ttl:big", "5400000", "FIELDS", "3", "f1", "f2", "f399");
    }

    /** Field by field: values, and each field's TTL within a minute (the digest of such hashes differs across servers). */
    private static void sameHash(Redis src, Redis tgt, String key) {
        assertEquals(src.sync().hgetall(key), tgt.sync().hgetall(key), "fields of " + key);
        for (String field : src.sync().hkeys(key)) {
            long s = ((List<?>) raw(src, "HPTTL", key, "FIELDS", "1", field)).stream().mapToLong(x -> (Long) x).sum();
            long t = ((List<?>) raw(tgt, "HPTTL", key, "FIELDS", "1", field)).stream().mapToLong(x -> (Long) x).sum();
            assertEquals(s > 0, t > 0, "TTL of " + key + "." + field + ": " + s + " vs " + t);
            assertTrue(Math.abs(s - t) < 60_000, "TTL of " + key + "." + field + ": " + s + " vs " + t);
        }
    }

    /** Every key of db 0..3 equal: hashes with field TTLs field by field, all else by DEBUG DIGEST-VALUE. */
    private static void sameData(Redis src, Redis tgt) {
        for (int db : new int[] {0, 1, 3}) {
            src.sync().select(db);
            tgt.sync().select(db);
            assertEquals(src.sync().dbsize(), tgt.sync().dbsize(), "keys in db" + db);
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = src.sync().scan(cursor, ScanArgs.Builder.limit(500));
                for (String key : page.getKeys()) {
                    if (key.startsWith("ttl:")) {
                        sameHash(src, tgt, key);
                    } else {
                        assertEquals(src.digestValue(key), tgt.digestValue(key), "value of " + key);
                    }
                }
                cursor = page;
            } while (!cursor.isFinished());
        }
        src.sync().select(0);
        tgt.sync().select(0);
    }

    @Test
    void redis8IntoValkey9WithFieldTtlsUnderWriteLoadThenCutover() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_8);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            Datasets.everyType(src);
            fieldTtlHashes(src);
            assertEquals(0, shell.run("connect source " + source.uri(), "connect target " + target.uri()).code());
            var check = shell.run("check");
            assertTrue(check.out().contains("✗ native way there"), check.out());
            WriteLoad load = new WriteLoad(source, 2, 3_000);
            var started = shell.run("replicate");
            assertEquals(0, started.code(), started.all());
            assertTrue(started.out().contains("auto picked psync"), started.out());
            // Field-TTL commands in the stream, after the full sync.
            raw(src, "HSETEX", "ttl:streamed", "PX", "3600000", "FIELDS", "2", "a", "1", "b", "2");
            raw(src, "HPEXPIRE", "ttl:small", "1800000", "FIELDS", "1", "keep");
            raw(src, "HGETDEL", "ttl:big", "FIELDS", "1", "f5");
            Map<String, String> acknowledged = load.stop();
            assertTrue(load.errors().isEmpty(), load.errors().toString());
            var caughtUp = shell.run("wait-lag --timeout 60s");
            assertEquals(0, caughtUp.code(), caughtUp.all());
            sameData(src, tgt);
            acknowledged.forEach((k, v) -> assertEquals(v, tgt.sync().get(k), "acknowledged write lost: " + k));

            var cutover = shell.run("freeze-writes --yes", "repoint --via exec --command true --yes",
                    "stop --demote-source --yes");
            assertEquals(0, cutover.code(), cutover.all());
            // No native way back: Valkey 9.1 would send Redis 8.0 RDB 11, which cannot hold the field TTLs
            // (the sync fails), so the old source follows through the shell.
            assertTrue(cutover.out().contains("the old source now replicates this shell"), cutover.out());
            tgt.sync().set("after-cutover", "1");
            Eventually.await(() -> "1".equals(src.sync().get("after-cutover")), "the old source follows the target");
            sameData(src, tgt);
        }
    }

    @Test
    void valkey9IntoValkey9KeepsFieldTtlsThroughRestore() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_9);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            Datasets.everyType(src);
            fieldTtlHashes(src);
            var r = shell.run("connect source " + source.uri(), "connect target " + target.uri(),
                    "replicate --mode psync", "wait-lag --timeout 30s");
            assertEquals(0, r.code(), r.all());
            PsyncReplica replica = (PsyncReplica) shell.runtime().session().link().orElseThrow().driver();
            assertEquals(replica.keysLoaded(), replica.keysRestored(), "VALKEY080 values go by RESTORE to Valkey 9");
            sameData(src, tgt);
        }
    }

    @Test
    void intoRedis7WithoutFieldTtlsCheckRefusesUnlessTheOperatorDropsThem() throws Exception {
        intoATargetWithoutFieldTtls(Flavour.REDIS_7);
    }

    @Test
    void intoValkey8WithoutFieldTtlsCheckRefusesUnlessTheOperatorDropsThem() throws Exception {
        intoATargetWithoutFieldTtls(Flavour.VALKEY_8);
    }

    private void intoATargetWithoutFieldTtls(Flavour targetFlavour) throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_9);
        LocalServer target = servers.start(targetFlavour);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            Datasets.everyType(src);
            fieldTtlHashes(src);
            assertEquals(0, shell.run("connect source " + source.uri(), "connect target " + target.uri()).code());
            var check = shell.run("check");
            assertTrue(check.out().contains("✗ field TTLs"), check.out());
            assertTrue(check.out().contains("the source holds 2 key(s) with hash-field TTLs"), check.out());
            var refused = shell.run("replicate --mode psync");
            assertEquals(ExitCode.PRECONDITION, refused.code(), refused.all());
            assertTrue(refused.err().contains("--drop-field-ttl"), refused.err());
            assertEquals(0L, tgt.sync().dbsize(), "a refusal wrote to the target");

            var started = shell.run("replicate --mode psync --drop-field-ttl");
            assertEquals(0, started.code(), started.all());
            raw(src, "HSETEX", "ttl:streamed", "PX", "3600000", "FIELDS", "2", "a", "1", "b", "2");
            raw(src, "HPEXPIRE", "ttl:small", "1800000", "FIELDS", "1", "keep");
            raw(src, "HGETDEL", "ttl:big", "FIELDS", "1", "f5");
            src.sync().set("after-the-ttl-commands", "1");
            assertEquals(0, shell.run("wait-lag --timeout 30s").code());
            assertEquals("1", tgt.sync().get("after-the-ttl-commands"));
            assertEquals(src.sync().hgetall("ttl:small"), tgt.sync().hgetall("ttl:small"));
            assertEquals(src.sync().hgetall("ttl:big"), tgt.sync().hgetall("ttl:big"), "HGETDEL became HDEL");
            assertEquals(Map.of("a", "1", "b", "2"), tgt.sync().hgetall("ttl:streamed"), "HSETEX became HSET");
            for (int db : new int[] {0, 1, 3}) {
                src.sync().select(db);
                tgt.sync().select(db);
                for (String key : src.sync().keys("db*")) {
                    assertEquals(src.digestValue(key), tgt.digestValue(key), "value of " + key);
                }
            }
            src.sync().select(0);
            tgt.sync().select(0);
            var stop = shell.run("stop --yes");
            assertEquals(0, stop.code(), stop.all());
            // 5 from the RDB (2 fields of ttl:small, 3 of ttl:big), then HSETEX and HPEXPIRE from the stream.
            assertTrue(stop.out().contains("7 hash-field TTL(s) dropped (--drop-field-ttl)"), stop.out());
        }
    }

    @Test
    void withoutANativeWayBackTheShellFeedsTheOldSourceUntilARollbackCarriesTheClientsBack() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_7);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            Datasets.everyType(src);
            var check = shell.run("connect source " + source.uri(), "connect target " + target.uri(), "check");
            assertTrue(check.out().contains("in psync mode, 'stop --demote-source' makes the old source a replica of"
                    + " this shell"), check.out());
            var cutover = shell.run("replicate --mode psync", "freeze-writes --yes",
                    "repoint --via exec --command true --yes", "stop --demote-source --yes");
            assertEquals(0, cutover.code(), cutover.all());
            assertTrue(cutover.out().contains("the old source now replicates this shell"), cutover.out());
            var status = shell.run("status");
            assertTrue(status.out().contains("way back the old source follows " + target.host() + ":" + target.port()
                    + " through this shell"), status.out());
            // Clients now write to Valkey 9.1; Redis 7.0 follows through the shell and refuses stray writes.
            WriteLoad load = new WriteLoad(target, 2, 2_000);
            Map<String, String> written = load.stop();
            assertTrue(load.errors().isEmpty(), load.errors().toString());
            tgt.sync().hset("db0:hash:small", "after", "cutover");
            Eventually.await(() -> src.digest().equals(tgt.digest()), "the old source follows the new primary");
            // Its link to the shell breaks: it comes back with PSYNC and continues from the shell's backlog.
            src.sync().clientKill(io.lettuce.core.KillArgs.Builder.typeMaster());
            tgt.sync().set("while-the-old-source-was-away", "1");
            Eventually.await(() -> "1".equals(src.sync().get("while-the-old-source-was-away"))
                    && src.digest().equals(tgt.digest()), "the old source caught up after a partial resync");
            assertTrue(src.info("replication").contains("master_link_status:up"), src.info("replication"));
            assertTrue(java.nio.file.Files.readString(source.dir().resolve("server.log"))
                    .contains("Master accepted a Partial Resynchronization"), "the old source did not resync partially");
            var readonly = org.junit.jupiter.api.Assertions.assertThrows(
                    io.lettuce.core.RedisCommandExecutionException.class, () -> src.sync().set("stray", "write"));
            assertTrue(readonly.getMessage().startsWith("READONLY"), readonly.getMessage());

            var rollback = shell.run("rollback", "freeze-writes --yes", "repoint --via exec --command true --yes",
                    "stop --demote-source --yes");
            assertEquals(0, rollback.code(), rollback.all());
            assertTrue(src.info("replication").contains("role:master"), "Redis 7.0 leads again");
            assertTrue(rollback.out().contains("the old source is now a replica of the target"), rollback.out());
            written.forEach((k, v) -> assertEquals(v, src.sync().get(k), "a write made on Valkey 9.1 is missing: " + k));
            src.sync().set("after-the-rollback", "1");
            Eventually.await(() -> "1".equals(tgt.sync().get("after-the-rollback")), "Valkey 9.1 follows Redis 7.0 again");
        }
    }
}
