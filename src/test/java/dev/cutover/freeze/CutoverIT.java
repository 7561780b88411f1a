package dev.cutover.freeze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.ExitCode;
import dev.cutover.demo.AppClients;
import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.testing.Haproxy;
import dev.cutover.testing.Redis;
import dev.cutover.testing.Servers;
import dev.cutover.testing.TestShell;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** freeze-writes, repoint and stop --demote-source on real servers under write load. */
class CutoverIT {
    @RegisterExtension
    final Servers servers = new Servers();

    @TempDir
    Path home;

    private static long json(String out, String field) throws Exception {
        return new ObjectMapper().readTree(out).get(field).asLong();
    }

    @Test
    void everyAcknowledgedWriteReachesTheTargetAndNoneLandsOnTheSourceAfterTheFreeze() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_8);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        Path appConfig = home.resolve("app.conf");
        Files.writeString(appConfig, source.uri());
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            AppClients app = new AppClients(appConfig, 4, 200_000);
            assertEquals(0, shell.run("connect source " + source.uri(), "connect target " + target.uri(), "replicate").code());
            while (app.acknowledgedCount() < 2_000) {
                Thread.sleep(20);
            }
            var frozen = shell.run("freeze-writes --lease 2s --max 60s --yes --json");
            assertEquals(0, frozen.code(), frozen.all());
            long frozenOffset = json(frozen.out(), "frozenOffset");
            assertEquals(0, json(frozen.out(), "behindBytes"), frozen.out());
            long ackedAtFreeze = app.acknowledgedCount();

            var repoint = shell.run("repoint --via exec --yes --command 'printf %s \"$CUTOVER_TARGET_URI\" > " + appConfig + "'");
            assertEquals(0, repoint.code(), repoint.all());
            assertEquals(target.uri(), Files.readString(appConfig));
            assertEquals("repointed", shell.runtime().session().state().label());
            assertEquals(String.valueOf(frozenOffset), src.sync().info("replication").lines()
                    .filter(l -> l.startsWith("master_repl_offset:")).findFirst().orElseThrow().split(":")[1].strip(),
                    "a write executed on the source after the frozen offset");
            // Until stop the target is still a read-only replica: clients there get READONLY and retry.
            var stop = shell.run("stop --demote-source --yes");
            assertEquals(0, stop.code(), stop.all());
            assertTrue(stop.out().contains("the old source is now a replica of the target"), stop.out());
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
            while (app.acknowledgedCount() < ackedAtFreeze + 2_000 && System.nanoTime() < deadline) {
                Thread.sleep(20); // clients now write to the target
            }
            Map<String, String> acknowledged = app.stop();
            assertTrue(acknowledged.size() >= ackedAtFreeze + 2_000, "clients did not go on writing on the target");

            acknowledged.forEach((k, v) -> assertEquals(v, tgt.sync().get(k), "acknowledged write lost: " + k));
            assertTrue(src.info("replication").contains("role:slave"), "the old source was not demoted");
            var readonly = org.junit.jupiter.api.Assertions.assertThrows(io.lettuce.core.RedisCommandExecutionException.class,
                    () -> src.sync().set("stray", "write"));
            assertTrue(readonly.getMessage().startsWith("READONLY"), readonly.getMessage());
        }
    }

    @Test
    void withoutANativeWayBackTheOldSourceRefusesWrites() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_7);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); TestShell shell = new TestShell(home)) {
            src.sync().set("k", "v");
            var r = shell.run("connect source " + source.uri(), "connect target " + target.uri(), "replicate",
                    "freeze-writes --yes", "repoint --via exec --command true --yes");
            assertEquals(0, r.code(), r.all());
            var plain = shell.run("stop --yes");
            assertEquals(ExitCode.PRECONDITION, plain.code(), plain.all());
            assertTrue(plain.err().contains("end with 'stop --demote-source'"), plain.err());
            r = shell.run("stop --demote-source --yes");
            assertEquals(0, r.code(), r.all());
            assertTrue(r.out().contains("the old source refuses writes (NOREPLICAS"), r.out());
            var refused = org.junit.jupiter.api.Assertions.assertThrows(io.lettuce.core.RedisCommandExecutionException.class,
                    () -> src.sync().set("stray", "write"));
            assertTrue(refused.getMessage().startsWith("NOREPLICAS"), refused.getMessage());
            assertEquals("v", src.sync().get("k"), "the old source keeps its data");
        }
    }

    @Test
    void repointRefusalsLeaveAClearState() {
        LocalServer source = servers.start(Flavour.REDIS_7);
        LocalServer target = servers.start(Flavour.REDIS_7);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            shell.run("connect source " + source.uri(), "connect target " + target.uri(), "replicate");
            var notFrozen = shell.run("repoint --via exec --command true --yes");
            assertEquals(ExitCode.PRECONDITION, notFrozen.code());
            assertTrue(notFrozen.err().contains("writes are not frozen (run freeze-writes)"), notFrozen.err());

            tgt.sync().replicaofNoOne(); // the target falls behind for good
            src.sync().set("after-the-break", "1");
            assertEquals(0, shell.run("freeze-writes --yes --catchup-timeout 200ms").code());
            var lagging = shell.run("repoint --via exec --command true --yes");
            assertEquals(ExitCode.PRECONDITION, lagging.code(), lagging.all());
            assertTrue(lagging.err().contains("(lag is not zero)"), lagging.err());
            assertTrue(shell.runtime().session().state().label().startsWith("frozen"));
            var unfreeze = shell.run("unfreeze --yes");
            assertEquals(0, unfreeze.code(), unfreeze.all());
            assertTrue(unfreeze.out().startsWith("writes on the source resumed; they were held for"), unfreeze.out());
            src.sync().set("writes-flow-again", "1");
        }
    }

    @Test
    void failingHookLeavesWritesFrozenAndSaysSo() {
        LocalServer source = servers.start(Flavour.VALKEY_9);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (TestShell shell = new TestShell(home)) {
            shell.run("connect source " + source.uri(), "connect target " + target.uri(), "replicate", "freeze-writes --yes");
            var r = shell.run("repoint --via exec --yes --command 'echo config store unreachable >&2; exit 7'");
            assertEquals(ExitCode.STEP_FAILED, r.code());
            assertEquals("error: the repoint command exited with 7: config store unreachable; clients were not moved and"
                    + " writes stay frozen: fix it and run repoint again, or unfreeze to abort\n", r.err());
            assertTrue(shell.runtime().session().state().label().startsWith("frozen"));
            var forced = shell.run("stop --yes");
            assertEquals(0, forced.code(), forced.all());
            assertTrue(forced.out().contains("the source is still frozen: unfreeze when you are done"), forced.out());
            assertEquals(0, shell.run("unfreeze --yes").code());
        }
    }

    @Test
    void freezeWithoutTerminalNeedsYesAndForceIsJournaled() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_7);
        LocalServer target = servers.start(Flavour.REDIS_7);
        try (TestShell shell = new TestShell(home)) {
            shell.run("connect source " + source.uri(), "connect target " + target.uri());
            var noYes = shell.run("freeze-writes");
            assertEquals(ExitCode.PRECONDITION, noYes.code());
            assertTrue(noYes.err().contains("needs --yes"), noYes.err());
            var forced = shell.run("repoint --via exec --command true --force --yes");
            assertEquals(0, forced.code(), forced.all());
            assertTrue(forced.out().startsWith("FORCED despite: replication is not running"), forced.out());
            assertTrue(forced.err().contains("warning: repoint --force"), forced.err());
            String journal = Files.readString(shell.runtime().session().journal().file());
            assertTrue(journal.contains("repoint --via exec --command true --force --yes"), journal);
        }
    }

    @Test
    void haproxyRepointMovesClientsToTheTarget(@TempDir Path dir) throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_7);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Haproxy haproxy = Haproxy.start(dir, source.host(), source.port());
             Redis src = new Redis(source); TestShell shell = new TestShell(home)) {
            src.sync().set("who", "source");
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + haproxy.port());
            StatefulRedisConnection<String, String> before = client.connect();
            assertEquals("source", before.sync().get("who"));
            var r = shell.run("connect source " + source.uri(), "connect target " + target.uri(), "replicate",
                    "freeze-writes --yes", "repoint --via haproxy --socket " + haproxy.socket()
                            + " --backend redis_back --server primary --yes",
                    "stop --demote-source --yes");
            assertEquals(0, r.code(), r.all());
            assertTrue(r.out().contains("HAProxy redis_back/primary now points at " + target.host() + ":" + target.port()),
                    r.out());
            StatefulRedisConnection<String, String> after = client.connect();
            assertTrue(after.sync().info("server").contains("valkey_version:9.1"), "new clients reach the target");
            after.sync().set("who", "target");
            assertEquals("target", after.sync().get("who"));
            client.shutdown();
            var wrongServer = shell.run("repoint --via haproxy --socket " + haproxy.socket()
                    + " --backend redis_back --server nosuch --force --yes");
            assertEquals(ExitCode.PRECONDITION, wrongServer.code(), wrongServer.all());
            assertTrue(wrongServer.err().contains("HAProxy refused to repoint redis_back/nosuch"), wrongServer.err());
        }
    }

    @Test
    void aSourceWhoseAclDeniesClientPauseIsRefusedWithTheWayOut() {
        LocalServer source = servers.start(dev.cutover.local.ServerSpec.of(Flavour.VALKEY_9).withConfig(java.util.List.of(
                "user operator on >operatorpw ~* &* +@all -client|pause")));
        try (TestShell shell = new TestShell(home)) {
            var connect = shell.run("connect source redis://operator:operatorpw@127.0.0.1:" + source.port());
            assertEquals(0, connect.code(), connect.all());
            assertTrue(connect.out().contains("CLIENT PAUSE WRITE       no — the ACL denies it"), connect.out());
            var r = shell.run("freeze-writes --yes");
            assertEquals(ExitCode.PRECONDITION, r.code(), r.all());
            assertTrue(r.err().contains("the source refused CLIENT PAUSE WRITE"), r.err());
            assertTrue(r.err().contains("--via proxy"), r.err());
            assertEquals("connected", shell.runtime().session().state().label());
        }
    }

    @Test
    void theFreezeHoldsWhileAHookOutlastsMax() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_8);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); TestShell shell = new TestShell(home)) {
            var r = shell.run("connect source " + source.uri(), "connect target " + target.uri(), "replicate",
                    "freeze-writes --yes --max 2s --lease 1s", "repoint --via exec --yes --command 'sleep 3'");
            assertEquals(0, r.code(), r.all());
            src.sync().getStatefulConnection().setTimeout(java.time.Duration.ofMillis(1500));
            org.junit.jupiter.api.Assertions.assertThrows(io.lettuce.core.RedisCommandTimeoutException.class,
                    () -> src.sync().set("after-max", "x"), "the source reopened while clients were being moved");
            assertEquals(0, shell.run("stop --demote-source --yes").code());
        }
    }
}
