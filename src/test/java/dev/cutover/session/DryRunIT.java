package dev.cutover.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.ExitCode;
import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.local.ServerSpec;
import dev.cutover.testing.Redis;
import dev.cutover.testing.Servers;
import dev.cutover.testing.TestShell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** --dry-run checks everything against the live servers and changes nothing on any of them. */
class DryRunIT {
    @RegisterExtension
    final Servers servers = new Servers();

    @TempDir
    Path home;

    /** Everything a cutover step could change on a server, as one comparable string. */
    private static String state(Redis redis) {
        StringBuilder sb = new StringBuilder(redis.digest());
        for (String line : redis.info("replication").lines().toList()) {
            if (line.startsWith("role:") || line.startsWith("master_host:") || line.startsWith("master_repl_offset:")) {
                sb.append('|').append(line.strip());
            }
        }
        for (String config : List.of("masterauth", "masteruser", "min-replicas-to-write", "rdb-version-check")) {
            sb.append('|').append(config).append('=').append(redis.config(config));
        }
        redis.sync().getStatefulConnection().setTimeout(Duration.ofSeconds(2));
        sb.append("|writable=").append(redis.sync().set("dry-run-probe", "x")); // a paused source would time out
        redis.sync().del("dry-run-probe");
        return sb.toString();
    }

    @Test
    void rehearsingTheWholeRunbookChangesNothing() throws Exception {
        LocalServer source = servers.start(ServerSpec.of(Flavour.REDIS_8).withPassword("src-pw"));
        LocalServer target = servers.start(Flavour.VALKEY_9);
        Path hookRan = home.resolve("hook-ran");
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            src.sync().set("k", "v");
            String sourceBefore = state(src);
            String targetBefore = state(tgt);
            Path script = Path.of(System.getenv().getOrDefault("CUTOVER_PROJECT_DIR", "."))
                    .resolve("scripts/update-connection-params.js");
            var r = shell.run("run " + script + " --dry-run --arg source=" + source.uriWithPassword()
                    + " --arg target=" + target.uri() + " --arg repoint='touch " + hookRan + "'");
            assertEquals(0, r.code(), r.all());
            assertTrue(r.out().contains("dry-run: would set rdb-version-check relaxed on the target"), r.out());
            assertTrue(r.out().contains("dry-run: would pause writes on the source"), r.out());
            assertTrue(r.out().contains("dry-run: would check that the target applied exactly the frozen offset, then run: touch"),
                    r.out());
            assertTrue(r.out().contains("✓ rehearsal done: every precondition held and nothing was changed"), r.out());
            assertEquals(sourceBefore, state(src), "the dry run changed the source");
            assertEquals(targetBefore, state(tgt), "the dry run changed the target");
            assertTrue(!Files.exists(hookRan), "the dry run ran the repoint hook");
            assertEquals("connected", shell.runtime().session().state().label());
        }
    }

    @Test
    void theFirstFailingPreconditionIsNamedAndNothingChanges() {
        LocalServer source = servers.start(Flavour.VALKEY_8);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            tgt.sync().set("already", "here");
            String targetBefore = state(tgt);
            shell.run("connect source " + source.uri(), "connect target " + target.uri());
            var replicate = shell.run("replicate --dry-run");
            assertEquals(ExitCode.PRECONDITION, replicate.code(), replicate.all());
            assertTrue(replicate.err().contains("target is not empty: 1 keys in db0"), replicate.err());
            var repoint = shell.run("repoint --via exec --command true --dry-run");
            assertEquals(ExitCode.PRECONDITION, repoint.code());
            assertTrue(repoint.err().contains("replication is not running; writes are not frozen"), repoint.err());
            var badHook = shell.run("repoint --via exec --command 'if then fi' --force --dry-run");
            assertEquals(ExitCode.USAGE, badHook.code(), badHook.all());
            assertTrue(badHook.err().contains("the repoint command is not valid shell"), badHook.err());
            var freeze = shell.run("freeze-writes --dry-run"); // no --yes needed: nothing changes
            assertEquals(0, freeze.code(), freeze.all());
            assertEquals(targetBefore, state(tgt));
            src.sync().set("source-still-writable", "yes");
        }
    }

    @Test
    void readsPassAndWritesAreOnlyDescribedInAScriptDryRun() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_7);
        Path plan = home.resolve("plan.js");
        Files.writeString(plan, "connect('source', args.source);\nprint(source.call('GET', 'k'));\n"
                + "source.call('SET', 'k', 'changed');\nsource.call('FLUSHALL');\nsource.call('CONFIG', 'SET', 'maxmemory', '1mb');\n"
                + "print(source.call('CONFIG', 'GET', 'maxmemory')[1]);\nprint(source.call('GET', 'k'));\n");
        try (Redis src = new Redis(source); TestShell shell = new TestShell(home)) {
            src.sync().set("k", "original");
            var r = shell.run("run " + plan + " --dry-run --arg source=" + source.uri());
            assertEquals(0, r.code(), r.all());
            assertEquals("original\ndry-run: would send SET k changed to the source\n"
                    + "dry-run: would send FLUSHALL to the source\n"
                    + "dry-run: would send CONFIG SET maxmemory 1mb to the source\n0\noriginal\n", r.out());
            assertEquals("original", src.sync().get("k"));
        }
    }
}
