package dev.cutover.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.ExitCode;
import dev.cutover.demo.AppClients;
import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.testing.Redis;
import dev.cutover.testing.Eventually;
import dev.cutover.testing.Servers;
import dev.cutover.testing.TestShell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A cutover and its rollback under a live write load: the clients end where they began, nothing lost. */
class RollbackIT {
    @RegisterExtension
    final Servers servers = new Servers();

    @TempDir
    Path home;

    private static void awaitLinkUp(Redis replica) throws InterruptedException {
        Eventually.await(() -> replica.info("replication").contains("master_link_status:up"), "the link came up");
    }

    private static void awaitWrites(AppClients app, long atLeast) throws InterruptedException {
        Eventually.await(() -> app.acknowledgedCount() >= atLeast, "the clients stopped writing");
    }

    @Test
    void cutoverThenRollbackUnderLoadLosesNothing() throws Exception {
        LocalServer valkey8 = servers.start(Flavour.VALKEY_8);
        LocalServer valkey9 = servers.start(Flavour.VALKEY_9);
        Path appConfig = home.resolve("app.conf");
        Files.writeString(appConfig, valkey8.uri());
        String hook = "--via exec --yes --command 'printf %s \"$CUTOVER_TARGET_URI\" > " + appConfig + "'";
        try (Redis old = new Redis(valkey8); Redis fresh = new Redis(valkey9); TestShell shell = new TestShell(home);
             AppClients app = new AppClients(appConfig, 3, 500_000)) {
            awaitWrites(app, 1_000);
            var cutover = shell.run("connect source " + valkey8.uri(), "connect target " + valkey9.uri(), "replicate",
                    "freeze-writes --yes", "repoint " + hook, "stop --demote-source --yes");
            assertEquals(0, cutover.code(), cutover.all());
            assertEquals(valkey9.uri(), Files.readString(appConfig));
            awaitWrites(app, app.acknowledgedCount() + 1_000);
            awaitLinkUp(old);

            var back = shell.run("rollback", "wait-lag", "freeze-writes --yes", "repoint " + hook,
                    "stop --demote-source --yes");
            assertEquals(0, back.code(), back.all());
            assertTrue(back.out().contains("rolling back: the source is now redis://127.0.0.1:" + valkey9.port()), back.out());
            assertEquals(valkey8.uri(), Files.readString(appConfig), "the clients were not sent back");
            awaitWrites(app, app.acknowledgedCount() + 1_000);
            Map<String, String> acknowledged = app.stop();

            assertTrue(old.info("replication").contains("role:master"), "the old source is not the primary again");
            acknowledged.forEach((k, v) -> assertEquals(v, old.sync().get(k), "acknowledged write lost: " + k));
            assertTrue(fresh.info("replication").contains("role:slave"), "the rolled-back target was not demoted");
            var journal = Files.readString(shell.runtime().session().journal().file());
            assertTrue(journal.contains("\"input\":\"rollback\""), journal);
        }
    }

    @Test
    void rollbackWithoutAWayBackIsRefusedAndSaysWhy() {
        LocalServer redis7 = servers.start(Flavour.REDIS_7);
        LocalServer valkey9 = servers.start(Flavour.VALKEY_9);
        try (TestShell shell = new TestShell(home)) {
            assertEquals(ExitCode.PRECONDITION, shell.run("connect source " + redis7.uri(), "connect target "
                    + valkey9.uri(), "rollback").code());
            var r = shell.run("replicate", "freeze-writes --yes", "repoint --via exec --command true --yes",
                    "stop --demote-source --yes", "rollback");
            assertEquals(ExitCode.PRECONDITION, r.code(), r.all());
            assertTrue(r.err().contains("rollback needs the old source to replicate the target"), r.err());
            assertTrue(r.err().contains("roll back with psync mode"), r.err());
            assertEquals("stopped", shell.runtime().session().state().label());
        }
    }

    @Test
    void theShippedScriptsCutOverAndRollBackInSeparateSessions() throws Exception {
        LocalServer valkey8 = servers.start(Flavour.VALKEY_8);
        LocalServer valkey9 = servers.start(Flavour.VALKEY_9);
        Path scripts = Path.of(System.getenv().getOrDefault("CUTOVER_PROJECT_DIR", ".")).resolve("scripts");
        Path appConfig = home.resolve("app.conf");
        Files.writeString(appConfig, valkey8.uri());
        String common = " --arg source=" + valkey8.uri() + " --arg target=" + valkey9.uri()
                + " --arg repoint='printf %s \"$CUTOVER_TARGET_URI\" > " + appConfig + "'";
        try (Redis old = new Redis(valkey8); Redis fresh = new Redis(valkey9)) {
            old.sync().set("before", "cutover");
            try (TestShell shell = new TestShell(home, Map.of(), false, false, true)) {
                var r = shell.run("run " + scripts.resolve("update-connection-params.js") + common);
                assertEquals(0, r.code(), r.all());
                assertTrue(r.out().contains("✓ done: the target is the primary"), r.out());
            }
            fresh.sync().set("during", "the new primary's time");
            awaitLinkUp(old);
            try (TestShell shell = new TestShell(home, Map.of(), false, false, true)) {
                var r = shell.run("run " + scripts.resolve("rollback.js") + common);
                assertEquals(0, r.code(), r.all());
                assertTrue(r.out().contains("✓ rolled back: the old source is the primary again"), r.out());
            }
            assertEquals(valkey8.uri(), Files.readString(appConfig));
            assertEquals("the new primary's time", old.sync().get("during"));
            assertEquals("cutover", old.sync().get("before"));
            assertTrue(old.info("replication").contains("role:master"));
        }
    }
}
