package dev.cutover.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.ExitCode;
import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.local.ServerSpec;
import dev.cutover.testing.Datasets;
import dev.cutover.testing.Redis;
import dev.cutover.testing.Servers;
import dev.cutover.testing.TestShell;
import dev.cutover.testing.WriteLoad;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Native replication on real servers: the data, the write load, and every refusal. */
class NativeReplicationIT {
    private static final String SOURCE_PASSWORD = "source-Secret-9";

    @RegisterExtension
    final Servers servers = new Servers();

    @TempDir
    Path home;

    @Test
    void movesEveryTypeTtlAndDbFromAPasswordedSourceUnderWriteLoad() throws Exception {
        LocalServer source = servers.start(ServerSpec.of(Flavour.REDIS_7).withPassword(SOURCE_PASSWORD));
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            Datasets.everyType(src);
            assertEquals(0, shell.run("connect source " + source.uriWithPassword(), "connect target " + target.uri()).code());
            WriteLoad load = new WriteLoad(source, 3, 2_000);
            var started = shell.run("replicate");
            assertEquals(0, started.code(), started.all());
            assertTrue(started.out().contains("auto picked native"), started.out());
            assertEquals("streaming", shell.runtime().session().state().label());
            Map<String, String> acknowledged = load.stop();
            assertTrue(load.errors().isEmpty(), load.errors().toString());
            var caughtUp = shell.run("wait-lag --timeout 60s", "lag --json");
            assertEquals(0, caughtUp.code(), caughtUp.all());
            assertTrue(caughtUp.out().contains("\"bytes\":0"), caughtUp.out());

            assertEquals(src.digest(), tgt.digest(), "DEBUG DIGEST differs");
            assertSameKeys(src, tgt, 0);
            assertSameKeys(src, tgt, 1);
            assertSameKeys(src, tgt, 3);
            tgt.sync().select(0);
            acknowledged.forEach((k, v) -> assertEquals(v, tgt.sync().get(k), "acknowledged write lost: " + k));
            assertTrue(tgt.sync().pttl("db0:string:ttl") > 0, "the TTL did not move");
            assertEquals(SOURCE_PASSWORD, tgt.config("masterauth"), "masterauth is set while replicating");

            var stopped = shell.run("stop --yes");
            assertEquals(0, stopped.code(), stopped.all());
            assertTrue(stopped.out().contains("restored   masterauth"), stopped.out());
            assertEquals("", tgt.config("masterauth"), "stop restores masterauth");
            assertTrue(tgt.info("replication").contains("role:master"));
            assertEquals("stopped", shell.runtime().session().state().label());
            assertFalse(shell.everything().contains(SOURCE_PASSWORD), "the source password leaked");
        }
    }

    @Test
    void nonEmptyTargetIsRefusedUnlessFlushTargetIsAccepted() {
        LocalServer source = servers.start(Flavour.REDIS_7);
        LocalServer target = servers.start(Flavour.REDIS_7);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            src.sync().set("from-source", "1");
            for (int i = 0; i < 1204; i++) {
                tgt.sync().set("old:" + i, "x");
            }
            shell.run("connect source " + source.uri(), "connect target " + target.uri());
            var refused = shell.run("replicate");
            assertEquals(ExitCode.PRECONDITION, refused.code(), refused.all());
            assertTrue(refused.err().contains("target is not empty: 1,204 keys in db0: use --flush-target to overwrite"),
                    refused.err());
            assertEquals(1204L, tgt.sync().dbsize(), "a refused replicate changed the target");
            assertTrue(tgt.info("replication").contains("role:master"));

            var noYes = shell.run("replicate --flush-target");
            assertEquals(ExitCode.PRECONDITION, noYes.code(), noYes.all());
            assertTrue(noYes.err().contains("needs --yes"), noYes.err());
            assertEquals(1204L, tgt.sync().dbsize());

            var ok = shell.run("replicate --flush-target --yes", "wait-lag");
            assertEquals(0, ok.code(), ok.all());
            assertEquals(1L, tgt.sync().dbsize());
            assertEquals(0, shell.run("stop --yes").code());
        }
    }

    @Test
    void refusedReplicaofLeavesBothServersAsTheyWere() {
        LocalServer source = servers.start(Flavour.VALKEY_8);
        LocalServer target = servers.start(ServerSpec.of(Flavour.VALKEY_9).withConfig(List.of(
                "rename-command REPLICAOF \"\"", "rename-command SLAVEOF \"\"")));
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            src.sync().set("k", "v");
            String before = src.digest();
            shell.run("connect source " + source.uri(), "connect target " + target.uri());
            var r = shell.run("replicate --mode native");
            assertEquals(ExitCode.PRECONDITION, r.code(), r.all());
            assertTrue(r.err().contains("the target refuses REPLICAOF: REPLICAOF is renamed or disabled"), r.err());
            assertTrue(r.err().contains("psync mode is the way there"), r.err());
            assertEquals(before, src.digest());
            assertEquals(0L, tgt.sync().dbsize());
            assertTrue(tgt.info("replication").contains("role:master"));
            assertEquals("connected", shell.runtime().session().state().label());
        }
    }

    @Test
    void unreachableSourceIsUndoneAfterTheLinkTimeout() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_7);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            shell.run("connect source " + source.uri(), "connect target " + target.uri());
            var r = shell.run("replicate --source-address 127.0.0.1:" + closedPort + " --link-timeout 2s");
            assertEquals(ExitCode.PRECONDITION, r.code(), r.all());
            assertTrue(r.err().contains("made no progress for 2s"), r.err());
            assertTrue(r.err().contains("replication was undone"), r.err());
            assertTrue(tgt.info("replication").contains("role:master"), "the target still replicates");
            assertEquals("connected", shell.runtime().session().state().label());
        }
    }

    @Test
    void wrongMasterauthIsUndoneWithConfigsRestored() {
        LocalServer source = servers.start(ServerSpec.of(Flavour.REDIS_7).withPassword(SOURCE_PASSWORD));
        LocalServer target = servers.start(Flavour.REDIS_7);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            shell.run("connect source " + source.uriWithPassword(), "connect target " + target.uri());
            src.sync().configSet("requirepass", "changed-behind-our-back"); // our connection stays authenticated
            var r = shell.run("replicate --link-timeout 2s");
            assertEquals(ExitCode.PRECONDITION, r.code(), r.all());
            assertTrue(r.err().contains("cannot reach, authenticate to or load from the source"), r.err());
            assertEquals("", tgt.config("masterauth"), "masterauth was not restored");
            assertTrue(tgt.info("replication").contains("role:master"));
            assertFalse(r.all().contains(SOURCE_PASSWORD));
        }
    }

    @Test
    void waitLagTimesOutWithExitThreeAndTheFigures() {
        LocalServer source = servers.start(Flavour.REDIS_7);
        LocalServer target = servers.start(Flavour.REDIS_7);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            shell.run("connect source " + source.uri(), "connect target " + target.uri());
            assertEquals(0, shell.run("replicate").code());
            tgt.sync().replicaofNoOne(); // the link breaks behind cutover's back
            src.sync().set("written-after-the-break", "1");
            var r = shell.run("wait-lag --timeout 1s");
            assertEquals(ExitCode.PRECONDITION, r.code(), r.all());
            assertTrue(r.err().contains("did not catch up within 1s: still"), r.err());
            assertTrue(r.err().contains("link down"), r.err());
            var lag = shell.run("lag");
            assertTrue(lag.out().contains("link     down"), lag.out());
        }
    }

    @Test
    void stopWithoutTerminalNeedsYesAndStopTwiceIsRefused() {
        LocalServer source = servers.start(Flavour.VALKEY_8);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (TestShell shell = new TestShell(home)) {
            shell.run("connect source " + source.uri(), "connect target " + target.uri(), "replicate");
            var noYes = shell.run("stop");
            assertEquals(ExitCode.PRECONDITION, noYes.code(), noYes.all());
            assertTrue(noYes.err().contains("Writes to the source are not frozen"), noYes.err());
            assertEquals("streaming", shell.runtime().session().state().label());
            assertEquals(0, shell.run("stop --yes").code());
            var again = shell.run("stop --yes");
            assertEquals(ExitCode.PRECONDITION, again.code());
            assertTrue(again.err().contains("replication was stopped"), again.err());
            var lagAfter = shell.run("lag");
            assertEquals(ExitCode.PRECONDITION, lagAfter.code());
        }
    }

    @Test
    void replicateBeforeConnectingSaysWhatIsMissing() {
        try (TestShell shell = new TestShell(home)) {
            var r = shell.run("replicate");
            assertEquals(ExitCode.PRECONDITION, r.code());
            assertEquals("error: no source is connected: run 'connect source redis://host:port' first\n", r.err());
            assertEquals(ExitCode.USAGE, shell.run("replicate --mode sideways").code());
        }
    }

    @Test
    void scriptTwinsDriveTheSameSteps() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_7);
        LocalServer target = servers.start(Flavour.VALKEY_8);
        java.nio.file.Path plan = home.resolve("plan.js");
        java.nio.file.Files.writeString(plan, """
                connect('source', args.source);
                connect('target', args.target);
                const report = check();
                print('check passed', report.passed, report.items.some(i => i.mark === 'warn' || i.mark === 'ok'));
                replicate({mode: 'native'});
                source.call('SET', 'x', '42');
                const lag = waitLag({maxBytes: 0, timeout: '30s'});
                print('lag', lag.bytes, lag.link);
                print('target x', target.call('GET', 'x'));
                const summary = stop({yes: true});
                print('stopped', status().state, summary.targetKeys.db0);
                """);
        try (TestShell shell = new TestShell(home)) {
            var r = shell.run("run " + plan + " --arg source=" + source.uri() + " --arg target=" + target.uri());
            assertEquals(0, r.code(), r.all());
            assertEquals("check passed true true\nlag 0 up\ntarget x 42\nstopped stopped 1\n", r.out());
        }
    }

    private static void assertSameKeys(Redis src, Redis tgt, int db) {
        dev.cutover.testing.Compare.sameKeys(src, tgt, db);
    }
}
