package dev.cutover.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.ExitCode;
import dev.cutover.endpoint.ServerInfo;
import dev.cutover.endpoint.VersionFacts;
import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.testing.Redis;
import dev.cutover.testing.Servers;
import dev.cutover.testing.TestShell;
import dev.cutover.testing.WriteLoad;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The server matrix operators migrate between: the facts cutover holds, checked against each binary. */
class VersionMatrixIT {
    @RegisterExtension
    final Servers servers = new Servers();

    @TempDir
    Path home;

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void theRdbVersionEachServerWritesIsTheOneInTheFacts(Flavour flavour) throws Exception {
        LocalServer server = servers.start(flavour);
        try (Redis redis = new Redis(server)) {
            redis.sync().set("k", "v");
            redis.sync().save();
            byte[] header = new byte[9];
            try (var in = Files.newInputStream(server.dir().resolve("dump.rdb"))) {
                assertEquals(9, in.readNBytes(header, 0, 9));
            }
            String magic = new String(header, StandardCharsets.US_ASCII);
            ServerInfo info = ServerInfo.parse(redis.info("server"));
            int written = VersionFacts.rdb(info.version()).written();
            String expected = written == VersionFacts.VALKEY_NATIVE_RDB ? "VALKEY080" : String.format("REDIS%04d", written);
            assertEquals(expected, magic, flavour + " (" + info.version() + ")");
            assertEquals(flavour.kind(), info.version().kind());
        }
    }

    static Stream<Arguments> nativePairs() {
        return Stream.of(
                Arguments.of(Flavour.REDIS_7, Flavour.VALKEY_8, false),
                Arguments.of(Flavour.REDIS_7, Flavour.VALKEY_9, false),
                Arguments.of(Flavour.VALKEY_8, Flavour.VALKEY_9, false),
                Arguments.of(Flavour.REDIS_8, Flavour.VALKEY_9, true),
                Arguments.of(Flavour.REDIS_86, Flavour.VALKEY_9, true),
                Arguments.of(Flavour.VALKEY_9, Flavour.REDIS_86, false),
                Arguments.of(Flavour.REDIS_7, Flavour.REDIS_86, false));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("nativePairs")
    void nativeReplicationWorksUnderWriteLoad(Flavour from, Flavour to, boolean relaxed) {
        LocalServer source = servers.start(from);
        LocalServer target = servers.start(to);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            for (int i = 0; i < 5_000; i++) {
                src.sync().hset("h:" + i, Map.of("a", "1", "b", String.valueOf(i)));
            }
            shell.run("connect source " + source.uri(), "connect target " + target.uri());
            WriteLoad load = new WriteLoad(source, 2, 1_500);
            var r = shell.run("replicate");
            assertEquals(0, r.code(), r.all());
            if (relaxed) {
                assertTrue(r.out().contains("rdb-version-check relaxed"), r.out());
                assertEquals("relaxed", tgt.config("rdb-version-check"));
            }
            Map<String, String> acknowledged = load.stop();
            assertEquals(0, shell.run("wait-lag --timeout 60s").code());
            assertEquals(src.digest(), tgt.digest(), from + " -> " + to);
            acknowledged.forEach((k, v) -> assertEquals(v, tgt.sync().get(k), "lost " + k));
            if (relaxed) {
                src.sync().hexpire("h:1", 3600, "a"); // a field TTL written after the sync
                var lag = shell.run("lag");
                assertTrue(lag.out().contains("the source now holds 1 key(s) with hash-field TTLs"), lag.out());
                assertTrue(shell.run("status").out().contains("its next full sync will fail on the target"));
            }
            assertEquals(0, shell.run("stop --yes").code());
            if (relaxed) {
                assertEquals("strict", tgt.config("rdb-version-check"), "stop restores rdb-version-check");
            }
        }
    }

    @Test
    void redis8WithAFieldTtlToValkey9IsRefusedWithTheReason() {
        LocalServer source = servers.start(Flavour.REDIS_8);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            src.sync().hset("session", Map.of("token", "abc", "user", "ada"));
            src.sync().hexpire("session", 3600, "token");
            assertTrue(src.info("keyspace").contains("subexpiry=1"), src.info("keyspace"));
            String before = src.digest();
            shell.run("connect source " + source.uri(), "connect target " + target.uri());
            var check = shell.run("check");
            assertTrue(check.out().contains("✗ native way there"), check.out());
            assertTrue(check.out().contains("1 key(s) with them"), check.out());
            var r = shell.run("replicate --mode native");
            assertEquals(ExitCode.PRECONDITION, r.code(), r.all());
            assertTrue(r.err().contains("native replication cannot work: Redis 8.0.6 sends RDB 12, which Valkey 9.1.2"
                    + " loads only relaxed and only without hash-field TTLs"), r.err());
            assertTrue(r.err().contains("psync mode is the way for this pair"), r.err());
            assertEquals(before, src.digest());
            assertEquals(0L, tgt.sync().dbsize());
            assertEquals("strict", tgt.config("rdb-version-check"));
            assertTrue(tgt.info("replication").contains("role:master"));
        }
    }

    /** Measured: Valkey 9 sends a Redis replica RDB 11, and fails the sync with "Can't store key in RDB version 11". */
    @Test
    void valkey9WithAFieldTtlToRedis86IsRefusedNativelyWithTheReason() {
        LocalServer source = servers.start(Flavour.VALKEY_9);
        LocalServer target = servers.start(Flavour.REDIS_86);
        try (Redis src = new Redis(source); Redis tgt = new Redis(target); TestShell shell = new TestShell(home)) {
            src.sync().hset("session", Map.of("token", "abc", "user", "ada"));
            src.sync().hexpire("session", 3600, "token");
            shell.run("connect source " + source.uri(), "connect target " + target.uri());
            var check = shell.run("check");
            assertTrue(check.out().contains("✗ native way there"), check.out());
            assertTrue(check.out().contains("RDB 11, which cannot hold hash-field TTLs"), check.out());
            var r = shell.run("replicate --mode native");
            assertEquals(ExitCode.PRECONDITION, r.code(), r.all());
            assertEquals(0L, tgt.sync().dbsize());
            assertTrue(tgt.info("replication").contains("role:master"));
        }
    }

    @Test
    void valkey9ToRedis7IsRefusedNativelyAndRedis7ToValkey9HasNoWayBack() {
        LocalServer redis7 = servers.start(Flavour.REDIS_7);
        LocalServer valkey9 = servers.start(Flavour.VALKEY_9);
        try (Redis r7 = new Redis(redis7); TestShell shell = new TestShell(home)) {
            shell.run("connect source " + valkey9.uri(), "connect target " + redis7.uri());
            var r = shell.run("replicate --mode native");
            assertEquals(ExitCode.PRECONDITION, r.code(), r.all());
            assertTrue(r.err().contains("Redis 7.0.15 cannot load the RDB 11 that Valkey 9.1.2 sends (it loads RDB 1-10)"),
                    r.err());
            assertTrue(r7.info("replication").contains("role:master"));
            var auto = shell.run("check");
            assertTrue(auto.out().contains("→ replicate would use psync mode"), auto.out()); // PsyncIT moves such pairs

            shell.run("connect source " + redis7.uri() + " --replace", "connect target " + valkey9.uri() + " --replace");
            var check = shell.run("check");
            assertEquals(0, check.code(), check.all());
            assertTrue(check.out().contains("✓ native way there   Valkey 9.1.2 loads the RDB 10 that Redis 7.0.15 sends"),
                    check.out());
            assertTrue(check.out().contains("! native way back    no native way back"), check.out());
        }
    }

    @Test
    void redis8VectorSetsAreFoundAndRefused() {
        LocalServer source = servers.start(Flavour.REDIS_8);
        LocalServer target = servers.start(Flavour.VALKEY_9);
        try (Redis src = new Redis(source); TestShell shell = new TestShell(home)) {
            src.sync().set("plain", "1");
            shell.run("connect source " + source.uri(), "connect target " + target.uri());
            assertTrue(shell.run("check").out().contains("✓ vector sets        the source holds no vector-set keys"));
            shell.run("source.call('VADD', 'embeddings', 'VALUES', '2', '0.5', '0.25', 'item-1')");
            var check = shell.run("check");
            assertTrue(check.out().contains("✗ vector sets        the source holds 1 vector-set key(s)"), check.out());
            assertEquals(ExitCode.PRECONDITION, shell.run("replicate").code());
        }
    }
}
