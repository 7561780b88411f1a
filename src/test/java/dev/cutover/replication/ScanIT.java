package dev.cutover.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.ExitCode;
import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.testing.Compare;
import dev.cutover.testing.Datasets;
import dev.cutover.testing.Eventually;
import dev.cutover.testing.Redis;
import dev.cutover.testing.Servers;
import dev.cutover.testing.TestShell;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** scan mode on real servers: SCAN + DUMP, keyspace events, and verify as the cutover gate. */
class ScanIT {
    @RegisterExtension
    final Servers servers = new Servers();

    @TempDir
    Path home;

    /** Writes, deletes and short-lived keys on several dbs until stopped. */
    private static Thread churn(LocalServer source, AtomicBoolean running, List<Throwable> errors) {
        Thread t = new Thread(() -> {
            try (Redis r = new Redis(source)) {
                for (int i = 0; running.get(); i++) {
                    int db = i % 2 == 0 ? 0 : 1;
                    r.sync().select(db);
                    r.sync().set("churn:" + (i % 500), "v" + i);
                    r.sync().incr("churn:counter");
                    r.sync().rpush("churn:list", "e" + i);
                    if (i % 3 == 0) {
                        r.sync().del("churn:" + ((i + 250) % 500));
                    }
                    if (i % 7 == 0) {
                        r.sync().psetex("churn:short:" + i, 50, "gone soon");
                    }
                    if (i % 11 == 0) {
                        r.sync().hset("churn:hash", "f" + (i % 40), "v" + i);
                    }
                }
            } catch (RuntimeException e) {
                if (running.get()) {
                    errors.add(e);
                }
            }
        }, "scan-churn");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void copiesEveryTypeUnderWritesDeletesAndExpirationsThenVerifyGatesTheCutover() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_7);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            Datasets.everyType(src);
            assertEquals("", src.config("notify-keyspace-events"));
            AtomicBoolean running = new AtomicBoolean(true);
            List<Throwable> errors = new ArrayList<>();
            Thread load = churn(source, running, errors);
            var started = shell.run("connect source " + source.uri(), "connect target " + target.uri(),
                    "replicate --mode scan");
            assertEquals(0, started.code(), started.all());
            assertTrue(started.out().contains("scan replication is streaming"), started.out());
            assertTrue(src.config("notify-keyspace-events").contains("K"), "scan mode turns keyspace events on");
            Thread.sleep(1_500); // changes keep coming while the copy follows them
            var frozen = shell.run("freeze-writes --yes --max 60s --json");
            assertEquals(0, frozen.code(), frozen.all());
            running.set(false);
            load.join(10_000);
            assertTrue(errors.isEmpty(), errors.toString());
            Eventually.await(() -> shell.run("lag --json").out().contains("\"bytes\":0"), "nothing left to copy");

            var unverified = shell.run("repoint --via exec --command true --yes");
            assertEquals(ExitCode.PRECONDITION, unverified.code(), unverified.all());
            assertTrue(unverified.err().contains("run 'verify'"), unverified.err());

            Thread.sleep(100); // let the 50 ms keys expire on both sides
            var verify = shell.run("verify --full");
            assertEquals(0, verify.code(), verify.all());
            for (int db : new int[] {0, 1, 3}) {
                Compare.sameKeys(src, tgt, db);
            }
            var repoint = shell.run("repoint --via exec --command true --yes");
            assertEquals(0, repoint.code(), repoint.all());
            var stop = shell.run("stop --demote-source --yes");
            assertEquals(0, stop.code(), stop.all());
            assertTrue(stop.out().contains("restored notify-keyspace-events on the source"), stop.out());
        }
    }

    @Test
    void autoFallsBackToScanWhenNeitherNativeNorPsyncCanWorkAndDecodesPayloadsTheTargetCannotLoad() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_9);
        LocalServer target = servers.start(Flavour.REDIS_7);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            Datasets.everyType(src);
            var utf8 = StringCodec.UTF8;
            src.sync().dispatch(CommandType.ACL, new StatusOutput<>(utf8), new CommandArgs<>(utf8).add("SETUSER")
                    .add("app").add("on").add(">app-pass").add("~*").add("&*").add("+@all").add("-psync").add("-sync"));
            String appUri = "redis://app:app-pass@" + source.host() + ":" + source.port();
            var started = shell.run("connect source " + appUri, "connect target " + target.uri(), "replicate");
            assertEquals(0, started.code(), started.all());
            assertTrue(started.out().contains("auto picked scan"), started.out());
            src.sync().set("after-the-scan", "1");
            src.sync().del("db0:string:raw");
            assertEquals(0, shell.run("wait-lag --timeout 30s").code());
            ScanReplica scan = (ScanReplica) shell.runtime().session().link().orElseThrow().driver();
            assertTrue(scan.keysDecoded() > 0, "Valkey 9's payloads must be decoded for Redis 7.0");
            for (int db : new int[] {0, 1, 3}) {
                Compare.sameKeys(src, tgt, db);
            }
            assertEquals(0, shell.run("stop --yes").code());
        }
    }

    @Test
    void aSourceThatWillNotPublishKeyspaceEventsIsRefusedWithNothingChanged() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_8);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            src.sync().set("k", "v");
            var utf8 = StringCodec.UTF8;
            src.sync().dispatch(CommandType.ACL, new StatusOutput<>(utf8), new CommandArgs<>(utf8).add("SETUSER")
                    .add("app").add("on").add(">app-pass").add("~*").add("&*").add("+@all").add("-config"));
            String appUri = "redis://app:app-pass@" + source.host() + ":" + source.port();
            assertEquals(0, shell.run("connect source " + appUri, "connect target " + target.uri()).code());
            var refused = shell.run("replicate --mode scan");
            assertEquals(ExitCode.PRECONDITION, refused.code(), refused.all());
            assertTrue(refused.err().contains("keyspace notifications"), refused.err());
            assertEquals(0L, tgt.sync().dbsize(), "a refusal wrote to the target");
            assertEquals("", src.config("notify-keyspace-events"));
            assertEquals("connected", shell.runtime().session().state().label());
        }
    }

    @Test
    void aSourceThatRefusesDumpIsReadTypeByType() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_8);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            Datasets.everyType(src);
            var utf8 = StringCodec.UTF8;
            // In db 2, compared field by field: the digest of a hash with field TTLs differs across servers.
            src.sync().select(2);
            src.sync().hset("fields:ttl", java.util.Map.of("a", "1", "b", "2"));
            src.sync().dispatch(CommandType.HPEXPIRE, new io.lettuce.core.output.ArrayOutput<>(utf8),
                    new CommandArgs<>(utf8).addKey("fields:ttl").add(3_600_000).add("FIELDS").add(1).add("a"));
            src.sync().select(0);
            src.sync().dispatch(CommandType.ACL, new StatusOutput<>(utf8), new CommandArgs<>(utf8).add("SETUSER")
                    .add("app").add("on").add(">app-pass").add("~*").add("&*").add("+@all").add("-dump").add("-psync")
                    .add("-sync"));
            String appUri = "redis://app:app-pass@" + source.host() + ":" + source.port();
            assertEquals(0, shell.run("connect source " + appUri, "connect target " + target.uri()).code());
            var check = shell.run("check");
            assertTrue(check.out().contains("! source DUMP"), check.out());
            var started = shell.run("replicate --mode scan");
            assertEquals(0, started.code(), started.all());
            src.sync().rpush("db0:list:small", "after-the-scan");
            assertEquals(0, shell.run("wait-lag --timeout 30s").code());
            ScanReplica scan = (ScanReplica) shell.runtime().session().link().orElseThrow().driver();
            assertEquals(scan.keysCopied(), scan.keysDecoded(), "every key read type by type");
            for (int db : new int[] {0, 1, 3}) {
                Compare.sameKeys(src, tgt, db);
            }
            src.sync().select(2);
            tgt.sync().select(2);
            assertEquals(src.sync().hgetall("fields:ttl"), tgt.sync().hgetall("fields:ttl"));
            assertTrue(((java.util.List<?>) tgt.sync().dispatch(CommandType.HPTTL, new io.lettuce.core.output.ArrayOutput<>(utf8),
                    new CommandArgs<>(utf8).addKey("fields:ttl").add("FIELDS").add(1).add("a"))).get(0) instanceof Long ttl
                    && ttl > 0, "the field TTL moved");
            assertEquals(0, shell.run("stop --yes").code());
        }
    }

    @Test
    void aValueBeyondTheRestoreBoundGoesAsChunkedCommands() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_9);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            java.util.Random random = new java.util.Random(7);
            String[] batch = new String[1000];
            for (int b = 0; b < 100; b++) { // 100k random elements of 200 bytes: a DUMP payload over 16 MiB
                for (int i = 0; i < batch.length; i++) {
                    StringBuilder e = new StringBuilder(200);
                    for (int c = 0; c < 200; c++) {
                        e.append((char) ('!' + random.nextInt(90)));
                    }
                    batch[i] = e.toString();
                }
                src.sync().rpush("big:list", batch);
            }
            src.sync().set("small", "1");
            var r = shell.run("connect source " + source.uri(), "connect target " + target.uri(),
                    "replicate --mode scan", "wait-lag --timeout 60s");
            assertEquals(0, r.code(), r.all());
            ScanReplica scan = (ScanReplica) shell.runtime().session().link().orElseThrow().driver();
            assertEquals(1, scan.keysDecoded(), "only the big list is decoded; the small key is RESTOREd");
            assertEquals(src.digest(), tgt.digest(), "DEBUG DIGEST differs");
            assertEquals(0, shell.run("stop --yes").code());
        }
    }
}
