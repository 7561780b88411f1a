package dev.cutover.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutover.ExitCode;
import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.testing.Datasets;
import dev.cutover.testing.Redis;
import dev.cutover.testing.Servers;
import dev.cutover.testing.TestShell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** verify on real servers: equal after a real migration of every type, and every kind of difference found. */
class VerifyIT {
    @RegisterExtension
    final Servers servers = new Servers();

    @TempDir
    Path home;

    @Test
    void equalAfterMigratingEveryTypeAcrossVersions() {
        LocalServer source = servers.start(Flavour.REDIS_7);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); TestShell shell = new TestShell(home)) {
            Datasets.everyType(src);
            var r = shell.run("connect source " + source.uri(), "connect target " + target.uri(), "replicate", "wait-lag",
                    "freeze-writes --yes", "verify --full", "verify --sample 50");
            assertEquals(0, r.code(), r.all());
            assertTrue(r.out().contains("compared every key: 42 keys by type, TTL and value"), r.out());
            assertTrue(r.out().contains("✓ source and target are equal"), r.out());
            assertTrue(r.out().contains("compared a random sample"), r.out());
            assertEquals(0, shell.run("unfreeze --yes", "stop --yes").code());
        }
    }

    @Test
    void everyKindOfDifferenceIsFoundAndExitIsNonZero() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_8);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            src.sync().set("lost", "1");
            src.sync().set("changed", "original");
            src.sync().set("retyped", "a string");
            src.sync().setex("ttl", 3600, "x");
            src.sync().hset("h", Map.of("f", "1", "g", "2"));
            src.sync().sadd("s", "a", "b", "c");
            assertEquals(0, shell.run("connect source " + source.uri(), "connect target " + target.uri(), "replicate",
                    "wait-lag", "stop --yes").code());
            assertEquals(0, shell.run("verify --full").code(), "equal right after the migration");
            tgt.sync().del("lost");
            tgt.sync().set("extra", "on target");
            tgt.sync().set("changed", "other");
            tgt.sync().del("retyped");
            tgt.sync().rpush("retyped", "now a list");
            tgt.sync().persist("ttl");
            tgt.sync().hset("h", "g", "3");
            var r = shell.run("verify --full");
            assertEquals(ExitCode.STEP_FAILED, r.code(), r.all());
            for (String line : new String[] {"✗ missing  db0 lost: a string on the source only",
                    "✗ extra  db0 extra: on the target only", "✗ value  db0 changed: the string values differ",
                    "✗ type  db0 retyped: string on the source, list on the target",
                    "s on the source, none on the target",
                    "✗ value  db0 h: the hash values differ"}) {
                assertTrue(r.out().contains(line), line + " in\n" + r.out());
            }
            assertTrue(r.out().contains("✗ ttl  db0 ttl: TTL 35"), r.out());
            assertTrue(r.out().contains("✗ 6 difference(s): 1 missing, 1 extra, 1 type, 1 ttl, 2 value"), r.out());
            assertTrue(r.err().startsWith("error: verify found 6 difference(s)"), r.err());

            var json = shell.run("verify --full --json --show 2");
            var report = new ObjectMapper().readTree(json.out().lines().findFirst().orElseThrow());
            assertEquals(false, report.get("equal").asBoolean());
            assertEquals(2, report.get("shown").size());
            assertEquals(2, report.at("/differences/value").asInt());
            assertEquals(1, report.at("/keyCounts/db0/target").asInt() - report.at("/keyCounts/db0/source").asInt() + 1);
        }
    }

    @Test
    void scriptTwinReturnsTheSameReport() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_7);
        LocalServer target = servers.start(Flavour.REDIS_7);
        Path plan = home.resolve("v.js");
        Files.writeString(plan, "connect('source', args.s); connect('target', args.t);\n"
                + "const r = verify({full: true}); print(r.equal, r.checked, r.differences.missing);\n");
        try (Redis src = new Redis(source); TestShell shell = new TestShell(home)) {
            src.sync().set("only-here", "1");
            var r = shell.run("run " + plan + " --arg s=" + source.uri() + " --arg t=" + target.uri());
            assertEquals(0, r.code(), r.all());
            assertEquals("false 1 1\n", r.out());
        }
    }
}
