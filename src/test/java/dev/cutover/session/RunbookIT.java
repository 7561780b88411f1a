package dev.cutover.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.local.ServerSpec;
import dev.cutover.testing.Redis;
import dev.cutover.testing.Servers;
import dev.cutover.testing.TestShell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** journal --script: a session becomes a runbook that reproduces the same migration on fresh servers. */
class RunbookIT {
    private static final String PASSWORD = "runbook-Secret-1";

    @RegisterExtension
    final Servers servers = new Servers();

    @TempDir
    Path home;

    @Test
    void aJournalReplayedOnFreshServersReproducesTheMigration() throws Exception {
        Path runbook = home.resolve("runbook.js");
        LocalServer source = servers.start(ServerSpec.of(Flavour.VALKEY_8).withPassword(PASSWORD));
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source)) {
            src.sync().set("k", "first");
        }
        try (TestShell first = new TestShell(home.resolve("first"), Map.of(), false, true)) {
            first.run("connect source " + source.uriWithPassword(), "connect target redis://127.0.0.1:1",
                    "connect target " + target.uri(), "replicate", "wait-lag", "freeze-writes --yes",
                    "repoint --via exec --yes --command 'echo moved to $CUTOVER_TARGET_PORT'", "stop --demote-source --yes");
            var journal = first.run("journal --script");
            assertEquals(0, journal.code(), journal.all());
            Files.writeString(runbook, journal.out());
        }
        String text = Files.readString(runbook);
        assertFalse(text.contains(PASSWORD), "the runbook holds the password: " + text);
        assertTrue(text.contains("--arg source_password=…"), text);
        assertTrue(text.contains("// skipped (failed: target 127.0.0.1:1 refused the connection"), text);

        LocalServer freshSource = servers.start(ServerSpec.of(Flavour.VALKEY_8).withPassword(PASSWORD));
        LocalServer freshTarget = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(freshSource); Redis tgt = new Redis(freshTarget);
             TestShell replay = new TestShell(home.resolve("replay"), Map.of(), false, false, true)) {
            src.sync().set("k", "replayed");
            var missing = replay.run("run " + runbook + " --arg source=" + freshSource.uri() + " --arg target="
                    + freshTarget.uri());
            assertEquals(2, missing.code(), missing.all());
            assertTrue(missing.out().contains("missing --arg source_password=…"), missing.out());
            var r = replay.run("run " + runbook + " --arg source=" + freshSource.uri() + " --arg target="
                    + freshTarget.uri() + " --arg source_password=" + PASSWORD);
            assertEquals(0, r.code(), r.all());
            assertTrue(r.out().contains("moved to " + freshTarget.port()), r.out());
            assertEquals("replayed", tgt.sync().get("k"));
            assertTrue(tgt.info("replication").contains("role:master"));
            assertTrue(src.info("replication").contains("role:slave"), "the fresh source was not demoted");
            assertFalse(replay.everything().contains(PASSWORD));
        }
    }
}
