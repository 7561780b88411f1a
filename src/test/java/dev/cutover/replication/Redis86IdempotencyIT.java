package dev.cutover.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.ExitCode;
import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
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
 * A Redis 8.6 stream with producer idempotency state, which no other server holds: refused
 * into Valkey 9.1 unless the operator drops it, then moved (entries, groups, PELs) with the
 * drop counted at stop and in the journal; kept whole into another Redis 8.6.
 */
class Redis86IdempotencyIT {
    @RegisterExtension
    final Servers servers = new Servers();

    @TempDir
    Path home;

    /** Four recorded ids of three producers (one refused duplicate), own settings, a group with a PEL. */
    private static void idempotentStream(Redis src) {
        src.raw("XADD", "orders", "1-1", "first", "1");
        src.raw("XCFGSET", "orders", "IDMP-DURATION", 86_400, "IDMP-MAXSIZE", 20);
        src.raw("XADD", "orders", "IDMP", "prod-a", "iid-1", "*", "n", "1");
        src.raw("XADD", "orders", "IDMP", "prod-a", "iid-2", "*", "n", "2");
        src.raw("XADD", "orders", "IDMP", "prod-b", "iid-1", "*", "n", "3");
        src.raw("XADD", "orders", "IDMP", "prod-a", "iid-1", "*", "n", "duplicate");
        src.raw("XADD", "orders", "IDMPAUTO", "prod-c", "*", "n", "4");
        src.raw("XGROUP", "CREATE", "orders", "g", "0");
        src.raw("XREADGROUP", "GROUP", "g", "c1", "COUNT", 3, "STREAMS", "orders", ">");
        src.sync().set("plain", "1");
        src.raw("XADD", "plain:stream", "1-1", "a", "1");
    }

    private static String firstId(Redis r, String key) {
        List<?> entry = (List<?>) ((List<?>) r.raw("XRANGE", key, "-", "+", "COUNT", 1)).get(0);
        return String.valueOf(entry.get(0));
    }

    @Test
    void intoValkeyCheckRefusesUnlessDroppedThenPsyncMovesAndCountsIt() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_86);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            idempotentStream(src);
            assertEquals(0, shell.run("connect source " + source.uri(), "connect target " + target.uri()).code());
            var check = shell.run("check");
            assertTrue(check.out().contains("✗ stream idempotency"), check.out());
            assertTrue(check.out().contains("1 stream(s) of the source hold producer idempotency state"), check.out());
            var refused = shell.run("replicate");
            assertEquals(ExitCode.PRECONDITION, refused.code(), refused.all());
            assertTrue(refused.err().contains("--drop-stream-idempotency"), refused.err());
            assertEquals(0L, tgt.sync().dbsize(), "a refusal wrote to the target");

            var started = shell.run("replicate --drop-stream-idempotency");
            assertEquals(0, started.code(), started.all());
            assertTrue(started.out().contains("auto picked psync"), started.out());
            // The same commands through the stream: a new id (IDMP stripped), a duplicate (dropped),
            // settings (dropped), and Redis 8.2's deletions with the default KEEPREF (translated).
            src.raw("XADD", "orders", "IDMP", "prod-a", "iid-3", "*", "n", "5");
            src.raw("XADD", "orders", "IDMP", "prod-a", "iid-3", "*", "n", "again");
            src.raw("XCFGSET", "orders", "IDMP-MAXSIZE", 50);
            src.raw("XDELEX", "plain:stream", "IDS", 1, "1-1");
            src.raw("XACKDEL", "orders", "g", "IDS", 1, firstId(src, "orders"));
            src.sync().set("after", "1");
            assertEquals(0, shell.run("wait-lag --timeout 60s").code());
            assertEquals("1", tgt.sync().get("after"));
            KeyByKey.sameKeys(src, tgt, 0);
            var stop = shell.run("stop --yes");
            assertEquals(0, stop.code(), stop.all());
            assertTrue(stop.out().contains("stream idempotency dropped (--drop-stream-idempotency): 4 recorded id(s)"
                    + " of 1 stream(s), 3 command(s) of the stream stripped of it or dropped"), stop.out());
            assertTrue(shell.run("journal").out().contains("replicate --drop-stream-idempotency"), "the drop is journaled");
        }
    }

    @Test
    void intoValkeyScanModeMovesAndCountsItWithTheFlag() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_86);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            idempotentStream(src);
            assertEquals(0, shell.run("connect source " + source.uri(), "connect target " + target.uri()).code());
            var refused = shell.run("replicate --mode scan");
            assertEquals(ExitCode.PRECONDITION, refused.code(), refused.all());
            var started = shell.run("replicate --mode scan --drop-stream-idempotency");
            assertEquals(0, started.code(), started.all());
            src.raw("XADD", "orders", "IDMP", "prod-a", "iid-3", "*", "n", "5");
            assertEquals(0, shell.run("wait-lag --timeout 60s").code());
            KeyByKey.sameKeys(src, tgt, 0);
            var stop = shell.run("stop --yes");
            assertEquals(0, stop.code(), stop.all());
            assertTrue(stop.out().contains("stream idempotency dropped (--drop-stream-idempotency): 5 recorded id(s)"
                    + " of 1 stream(s)"), stop.out());
        }
    }

    /**
     * The path of a stream too big for RESTORE into Redis 8.6: rebuilt from commands, then its
     * settings and recorded ids from XCFGSET and XIDMPRECORD; only the all-time counters differ.
     */
    @Test
    void aStreamRebuiltFromCommandsIntoRedis86KeepsItsRecordedIds() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_86);
        LocalServer target = servers.start(Flavour.REDIS_86);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target)) {
            idempotentStream(src);
            src.sync().save();
            List<dev.cutover.rdb.RdbEntry> entries = new java.util.ArrayList<>();
            try (var in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(
                    source.dir().resolve("dump.rdb")))) {
                new dev.cutover.rdb.RdbReader(in, dev.cutover.rdb.RdbReader.Options.defaults()).read(entries::add);
            }
            StreamFeatures redis86 = StreamFeatures.of(dev.cutover.endpoint.ServerVersion.parse(
                    dev.cutover.endpoint.ServerKind.REDIS, "8.6.3"), false);
            int sent = 0;
            for (dev.cutover.rdb.RdbEntry e : entries) {
                List<List<byte[]>> commands = new java.util.ArrayList<>(dev.cutover.rdb.EntryCommands.of(e, 100));
                commands.addAll(redis86.idempotencyCommands(e));
                for (List<byte[]> c : commands) {
                    tgt.raw(c.stream().map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8)).toArray());
                    sent++;
                }
            }
            assertTrue(sent > 10, "sent " + sent);
            KeyByKey.sameKeys(src, tgt, 0);
            for (String field : List.of("idmp-duration", "idmp-maxsize", "pids-tracked", "iids-tracked")) {
                assertEquals(info(src, "orders", field), info(tgt, "orders", field), field);
            }
            // No command sets the all-time counters: XIDMPRECORD counts each recorded id as added, no duplicate.
            assertEquals("4", info(tgt, "orders", "iids-added"));
            assertEquals("1", info(src, "orders", "iids-duplicates"));
            assertEquals("0", info(tgt, "orders", "iids-duplicates"));
            for (String[] recorded : new String[][] {{"prod-a", "iid-1"}, {"prod-a", "iid-2"}, {"prod-b", "iid-1"}}) {
                assertEquals(src.raw("XADD", "orders", "IDMP", recorded[0], recorded[1], "*", "probe", "1"),
                        tgt.raw("XADD", "orders", "IDMP", recorded[0], recorded[1], "*", "probe", "1"),
                        String.join("/", recorded));
            }
        }
    }

    private static String info(Redis r, String key, String field) {
        List<?> flat = (List<?>) r.raw("XINFO", "STREAM", key);
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            if (field.equals(String.valueOf(flat.get(i)))) {
                return String.valueOf(flat.get(i + 1));
            }
        }
        throw new AssertionError("XINFO STREAM " + key + " has no " + field);
    }

    @Test
    void intoRedis86ItIsKeptWhole() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_86);
        LocalServer target = servers.start(Flavour.REDIS_86);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            idempotentStream(src);
            var r = shell.run("connect source " + source.uri(), "connect target " + target.uri(), "check",
                    "replicate --mode psync", "wait-lag --timeout 60s");
            assertEquals(0, r.code(), r.all());
            assertTrue(!r.out().contains("stream idempotency"), "no finding for a target that holds it: " + r.out());
            KeyByKey.sameKeys(src, tgt, 0);
            assertEquals(src.raw("XINFO", "STREAM", "orders").toString(), tgt.raw("XINFO", "STREAM", "orders").toString());
            // A recorded id is known on the target: XADD with it returns the entry the source made.
            Object onSource = src.raw("XADD", "orders", "IDMP", "prod-b", "iid-1", "*", "probe", "1");
            Object onTarget = tgt.raw("XADD", "orders", "IDMP", "prod-b", "iid-1", "*", "probe", "1");
            assertEquals(onSource, onTarget);
            assertEquals(0, shell.run("stop --yes").code());
        }
    }
}
