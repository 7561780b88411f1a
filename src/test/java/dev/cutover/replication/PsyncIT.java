package dev.cutover.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.ExitCode;
import dev.cutover.demo.AppClients;
import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.local.ServerSpec;
import dev.cutover.testing.Compare;
import dev.cutover.testing.Datasets;
import dev.cutover.testing.Eventually;
import dev.cutover.testing.Redis;
import dev.cutover.testing.Servers;
import dev.cutover.testing.TestShell;
import dev.cutover.testing.WriteLoad;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** psync mode on real servers: the shell as the source's replica, under write load and broken links. */
class PsyncIT {
    private static final String SOURCE_PASSWORD = "psync-Secret-7";
    private static final String LIBRARY = "#!lua name=cutoverlib\n"
            + "redis.register_function('echo_it', function(keys, args) return args[1] end)";

    @RegisterExtension
    final Servers servers = new Servers();

    @TempDir
    Path home;

    private static PsyncReplica replica(TestShell shell) {
        return (PsyncReplica) shell.runtime().session().link().orElseThrow().driver();
    }

    private static long offset(Redis redis) {
        return redis.infoNumber("replication", "master_repl_offset");
    }

    private void movesEverything(LocalServer source, String sourceUri, LocalServer target, boolean restore)
            throws Exception {
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            Datasets.everyType(src);
            src.sync().functionLoad(LIBRARY);
            assertEquals(0, shell.run("connect source " + sourceUri, "connect target " + target.uri()).code());
            WriteLoad load = new WriteLoad(source, 3, 2_000);
            var started = shell.run("replicate --mode psync");
            assertEquals(0, started.code(), started.all());
            assertTrue(started.out().contains("psync replication is streaming"), started.out());
            assertEquals("streaming", shell.runtime().session().state().label());
            PsyncReplica replica = replica(shell);
            assertTrue(replica.keysLoaded() >= 3 * 13, "keys loaded: " + replica.keysLoaded());
            assertEquals(restore ? replica.keysLoaded() : 0, replica.keysRestored(),
                    restore ? "every key goes by RESTORE to a target that loads the source's RDB version"
                            : "a target that cannot load the source's RDB version gets ordinary commands");
            Map<String, String> acknowledged = load.stop();
            assertTrue(load.errors().isEmpty(), load.errors().toString());
            var caughtUp = shell.run("wait-lag --timeout 60s", "lag --json");
            assertEquals(0, caughtUp.code(), caughtUp.all());
            assertTrue(caughtUp.out().contains("\"bytes\":0"), caughtUp.out());

            assertEquals(src.digest(), tgt.digest(), "DEBUG DIGEST differs");
            for (int db : new int[] {0, 1, 3}) {
                Compare.sameKeys(src, tgt, db);
            }
            acknowledged.forEach((k, v) -> assertEquals(v, tgt.sync().get(k), "acknowledged write lost: " + k));
            assertEquals("hello", tgt.sync().fcall("echo_it", io.lettuce.core.ScriptOutputType.VALUE, new String[0],
                    "hello"), "the function library did not move");
            // The source sees the offset the target applied (REPLCONF ACK), so its own INFO shows the lag.
            long applied = offset(src);
            Eventually.await(() -> src.info("replication").contains("offset=" + applied + ","),
                    "the source's INFO shows the replica at the applied offset " + applied);

            var stopped = shell.run("stop --yes");
            assertEquals(0, stopped.code(), stopped.all());
            assertEquals("stopped", shell.runtime().session().state().label());
            assertTrue(tgt.info("replication").contains("role:master"));
            Eventually.await(() -> src.info("replication").contains("connected_slaves:0"), "the replica left the source");
            assertFalse(shell.everything().contains(SOURCE_PASSWORD), "the source password leaked");
        }
    }

    @Test
    void movesEveryTypeIntoANewerTargetWithRestoreUnderWriteLoad() throws Exception {
        LocalServer source = servers.start(ServerSpec.of(Flavour.REDIS_7).withPassword(SOURCE_PASSWORD));
        movesEverything(source, source.uriWithPassword(), servers.start(Flavour.VALKEY_9), true);
    }

    @Test
    void readsATlsSourceTrustingOnlyTheGivenCa() throws Exception {
        Path certs = Files.createDirectories(home.resolve("certs"));
        LocalServer source = servers.start(ServerSpec.of(Flavour.VALKEY_9).withPassword(SOURCE_PASSWORD)
                .withTls(dev.cutover.testing.TestCerts.generate(certs)));
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            Datasets.everyType(src);
            String uri = "rediss://:" + SOURCE_PASSWORD + "@127.0.0.1:" + source.port();
            var r = shell.run("connect source " + uri + " --cacert " + certs.resolve("ca.crt"),
                    "connect target " + target.uri(), "replicate --mode psync", "wait-lag --timeout 30s");
            assertEquals(0, r.code(), r.all());
            assertEquals(src.digest(), tgt.digest(), "DEBUG DIGEST differs");
            assertFalse(shell.everything().contains(SOURCE_PASSWORD), "the source password leaked");
        }
    }

    @Test
    void waitsThroughTheKeepAlivesASourceSendsBeforeItsPsyncAnswer() throws Exception {
        // The servers' default delays a diskless sync and sends newlines meanwhile, before +FULLRESYNC.
        LocalServer source = servers.start(ServerSpec.of(Flavour.VALKEY_8).withConfig(
                java.util.List.of("repl-diskless-sync-delay 3")));
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            Datasets.everyType(src);
            var r = shell.run("connect source " + source.uri(), "connect target " + target.uri(),
                    "replicate --mode psync", "wait-lag --timeout 30s");
            assertEquals(0, r.code(), r.all());
            assertEquals(1, replica(shell).fullSyncs(), "one full sync, not a loop of broken handshakes");
            assertEquals(src.digest(), tgt.digest(), "DEBUG DIGEST differs");
        }
    }

    @Test
    void aResumeContinuesInTheDbTheStreamWasIn() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_7);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target)) {
            src.sync().set("k0", "in db0");
            try (TestShell first = new TestShell(home)) {
                assertEquals(0, first.run("connect source " + source.uri(), "connect target " + target.uri(),
                        "replicate --mode psync").code());
                src.sync().select(5);
                src.sync().set("k5", "in db5"); // the stream now says SELECT 5 once
                assertEquals(0, first.run("wait-lag --timeout 30s").code());
            }
            src.sync().set("k5-while-away", "still db5"); // no new SELECT: the stream is in db5 already
            try (TestShell second = new TestShell(home)) {
                var r = second.run("connect source " + source.uri(), "connect target " + target.uri(),
                        "replicate --mode psync --resume", "wait-lag --timeout 30s");
                assertEquals(0, r.code(), r.all());
            }
            tgt.sync().select(5);
            assertEquals("still db5", tgt.sync().get("k5-while-away"));
            tgt.sync().select(0);
            assertEquals(null, tgt.sync().get("k5-while-away"), "a resumed stream went to db0");
        }
    }

    @Test
    void aNewFullSyncRemovesTheOldCheckpointBeforeItTouchesTheTarget() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_7);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); TestShell shell = new TestShell(home)) {
            src.sync().set("k", "v");
            assertEquals(0, shell.run("connect source " + source.uri(), "connect target " + target.uri(),
                    "replicate --mode psync", "stop --yes").code());
            Path checkpointDir = home.resolve("state").resolve("psync");
            try (var files = Files.list(checkpointDir)) {
                Path checkpoint = files.findFirst().orElseThrow();
                assertTrue(Files.readString(checkpoint).contains("clean=true"));
                assertEquals(0, shell.run("replicate --mode psync --flush-target --yes --background").code());
                Eventually.await(() -> !Files.exists(checkpoint) || readQuietly(checkpoint).contains("clean=false"),
                        "the old clean checkpoint no longer describes the target");
            }
            assertEquals(0, shell.run("wait-lag --timeout 30s", "stop --yes").code());
        }
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void movesEveryTypeIntoAnOlderTargetWithOrdinaryCommands() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_8);
        movesEverything(source, source.uri(), servers.start(Flavour.REDIS_7), false);
    }

    @Test
    void aLinkKilledMidStreamContinuesWithAPartialResyncLosingAndRepeatingNothing() throws Exception {
        // 20,000 writes/s fill the default 1 MB backlog in about a second: on a busy machine a
        // reconnect (a native replica's too) can come later than that, and then only a full resync
        // is possible (seen here, reported as such). Production sources size the backlog for the
        // gaps they must survive; so does this one, so that what is tested is the partial resync.
        LocalServer source = servers.start(dev.cutover.local.ServerSpec.of(Flavour.REDIS_7)
                .withConfig(List.of("repl-backlog-size 32mb")));
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            Datasets.everyType(src);
            assertEquals(0, shell.run("connect source " + source.uri(), "connect target " + target.uri(),
                    "replicate --mode psync").code());
            WriteLoad load = new WriteLoad(source, 3, 20_000);
            for (int kill = 1; kill <= 3; kill++) {
                int k = kill;
                Eventually.await(() -> replica(shell).partialResyncs() == k - 1
                        && shell.runtime().session().state().label().equals("streaming"), "streaming before kill " + k);
                Thread.sleep(200);
                src.sync().clientKill(io.lettuce.core.KillArgs.Builder.typeSlave());
                try {
                    Eventually.await(() -> replica(shell).partialResyncs() == k, "partial resync " + k);
                } catch (AssertionError e) {
                    PsyncReplica r = replica(shell);
                    throw new AssertionError(e.getMessage() + ": full syncs " + r.fullSyncs() + ", problem '" + r.problem()
                            + "', note '" + r.note() + "', alive " + r.alive(), e);
                }
            }
            Map<String, String> acknowledged = load.stop();
            assertTrue(load.errors().isEmpty(), load.errors().toString());
            assertEquals(0, shell.run("wait-lag --timeout 60s").code());
            assertEquals(1, replica(shell).fullSyncs(), "a partial resync must not copy everything again");
            // INCR counters in the load make a write applied twice (or lost) change the digest.
            assertEquals(src.digest(), tgt.digest(), "DEBUG DIGEST differs");
            acknowledged.forEach((k, v) -> assertEquals(v, tgt.sync().get(k), "acknowledged write lost: " + k));
            assertEquals(0, shell.run("stop --yes").code());
        }
    }

    @Test
    void aFullSyncCutShortStartsOverFromAnEmptiedTarget() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_8);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            src.sync().dispatch(io.lettuce.core.protocol.CommandType.DEBUG, new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                    new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8).add("POPULATE").add(400_000).add("big").add(64));
            Datasets.everyType(src);
            assertEquals(0, shell.run("connect source " + source.uri(), "connect target " + target.uri(),
                    "replicate --mode psync --background").code());
            Eventually.await(() -> replica(shell).keysLoaded() > 1_000, "the full sync under way");
            src.sync().clientKill(io.lettuce.core.KillArgs.Builder.typeSlave());
            src.sync().set("written-between-the-syncs", "1");
            var caughtUp = shell.run("wait-lag --timeout 120s");
            assertEquals(0, caughtUp.code(), caughtUp.all());
            assertTrue(replica(shell).fullSyncs() >= 2, "the cut full sync was not started over");
            assertEquals(src.digest(), tgt.digest(), "DEBUG DIGEST differs");
            assertEquals(0, shell.run("stop --yes").code());
        }
    }

    @Test
    void aCleanStopLeavesACheckpointThatResumesInANewShellWithoutAFullCopy() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_7);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target)) {
            Datasets.everyType(src);
            long keysAfterFirstSync;
            try (TestShell first = new TestShell(home)) {
                assertEquals(0, first.run("connect source " + source.uri(), "connect target " + target.uri(),
                        "replicate --mode psync").code());
                src.sync().set("during-the-first-shell", "1");
                assertEquals(0, first.run("wait-lag --timeout 30s").code());
                keysAfterFirstSync = tgt.sync().dbsize();
            } // leaving the shell ends the link cleanly
            for (int i = 0; i < 500; i++) {
                src.sync().incr("while-no-shell-runs");
            }
            assertEquals(keysAfterFirstSync, tgt.sync().dbsize(), "nothing moves while no shell runs");
            Path checkpointDir = home.resolve("state").resolve("psync");
            Path checkpoint;
            try (var files = Files.list(checkpointDir)) {
                checkpoint = files.findFirst().orElseThrow();
            }
            assertTrue(Files.readString(checkpoint).contains("clean=true"), Files.readString(checkpoint));

            String unclean;
            try (TestShell second = new TestShell(home)) {
                var resumed = second.run("connect source " + source.uri(), "connect target " + target.uri(),
                        "replicate --mode psync --resume");
                assertEquals(0, resumed.code(), resumed.all());
                assertEquals(0, replica(second).fullSyncs(), "resume copied everything again");
                assertEquals(0, second.run("wait-lag --timeout 30s").code());
                assertEquals("500", tgt.sync().get("while-no-shell-runs"));
                assertEquals(src.digest(), tgt.digest(), "DEBUG DIGEST differs after the resume");
                unclean = Files.readString(checkpoint);
                assertTrue(unclean.contains("clean=false"), "a running link's checkpoint is marked in flight: " + unclean);
            }
            // As if the shell had died mid-stream: resuming could apply a write twice, so it is refused.
            Files.writeString(checkpoint, unclean);
            String digestBefore = tgt.digest();
            try (TestShell third = new TestShell(home)) {
                var refused = third.run("connect source " + source.uri(), "connect target " + target.uri(),
                        "replicate --mode psync --resume");
                assertEquals(ExitCode.PRECONDITION, refused.code(), refused.all());
                assertTrue(refused.err().contains("did not end cleanly"), refused.err());
                assertEquals("connected", third.runtime().session().state().label());
            }
            assertEquals(digestBefore, tgt.digest(), "a refused resume changed the target");
        }
    }

    @Test
    void refusalsChangeNothing() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_7);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            src.sync().set("k", "v");
            var utf8 = io.lettuce.core.codec.StringCodec.UTF8;
            src.sync().dispatch(io.lettuce.core.protocol.CommandType.ACL, new io.lettuce.core.output.StatusOutput<>(utf8),
                    new io.lettuce.core.protocol.CommandArgs<>(utf8).add("SETUSER").add("app").add("on").add(">app-pass")
                            .add("~*").add("&*").add("+@all").add("-psync").add("-sync"));
            String appUri = "redis://app:app-pass@" + source.host() + ":" + source.port();
            assertEquals(0, shell.run("connect source " + appUri, "connect target " + target.uri()).code());
            var check = shell.run("check");
            assertTrue(check.out().contains("✗ source PSYNC"), check.out());
            var refused = shell.run("replicate --mode psync");
            assertEquals(ExitCode.PRECONDITION, refused.code(), refused.all());
            assertTrue(refused.err().contains("refuses PSYNC"), refused.err());
            var noCheckpoint = shell.run("replicate --mode psync --resume");
            assertEquals(ExitCode.PRECONDITION, noCheckpoint.code(), noCheckpoint.all());
            var wrongMode = shell.run("replicate --resume");
            assertEquals(ExitCode.USAGE, wrongMode.code(), wrongMode.all());
            assertEquals(0L, tgt.sync().dbsize(), "a refusal wrote to the target");
            assertEquals("connected", shell.runtime().session().state().label());
            assertFalse(shell.everything().contains("app-pass"), "the password leaked");
        }
    }

    @Test
    void freezeLagZeroAndRepointWorkInPsyncModeAsInNativeMode() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_8);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        Path appConfig = home.resolve("app.conf");
        Files.writeString(appConfig, source.uri());
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            AppClients app = new AppClients(appConfig, 4, 200_000);
            assertEquals(0, shell.run("connect source " + source.uri(), "connect target " + target.uri(),
                    "replicate --mode psync").code());
            Eventually.await(() -> app.acknowledgedCount() >= 2_000, "the app writes");
            var frozen = shell.run("freeze-writes --lease 2s --max 60s --yes --json");
            assertEquals(0, frozen.code(), frozen.all());
            assertTrue(frozen.out().contains("\"behindBytes\":0"), frozen.out());
            long frozenOffset = offset(src);
            long ackedAtFreeze = app.acknowledgedCount();
            var repoint = shell.run("repoint --via exec --yes --command 'printf %s \"$CUTOVER_TARGET_URI\" > "
                    + appConfig + "'");
            assertEquals(0, repoint.code(), repoint.all());
            assertEquals(frozenOffset, offset(src), "a write executed on the source after the frozen offset");
            var stop = shell.run("stop --demote-source --yes");
            assertEquals(0, stop.code(), stop.all());
            Eventually.await(() -> app.acknowledgedCount() >= ackedAtFreeze + 2_000, "clients write to the target");
            Map<String, String> acknowledged = app.stop();
            acknowledged.forEach((k, v) -> assertEquals(v, tgt.sync().get(k), "acknowledged write lost: " + k));
        }
    }
}
