package dev.cutover.replication;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.endpoint.ServerKind;
import dev.cutover.endpoint.ServerVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Native replication predictions for the pairs Redis 8.6 is in; each is measured in Redis86MigrationIT and VersionMatrixIT. */
class NativeCompatibilityTest {
    private static final ServerVersion REDIS_86 = ServerVersion.parse(ServerKind.REDIS, "8.6.3");
    private static final ServerVersion REDIS_80 = ServerVersion.parse(ServerKind.REDIS, "8.0.6");
    private static final ServerVersion REDIS_70 = ServerVersion.parse(ServerKind.REDIS, "7.0.15");
    private static final ServerVersion VALKEY_91 = ServerVersion.parse(ServerKind.VALKEY, "9.1.2");

    @Test
    void redis86IntoValkey91NeedsRelaxedForPlainData() {
        NativePrediction p = NativeCompatibility.predict(REDIS_86, VALKEY_91, 0, 0, List.of());
        assertInstanceOf(NativePrediction.NeedsRelaxed.class, p);
        assertTrue(p.reason().contains("RDB 13") && p.reason().contains("or is a stream"), p.reason());
    }

    @Test
    void redis86IntoValkey91CannotCarryAStreamEvenRelaxed() {
        NativePrediction p = NativeCompatibility.predict(REDIS_86, VALKEY_91, 0, 2, List.of());
        assertInstanceOf(NativePrediction.Impossible.class, p);
        assertTrue(p.reason().contains("type 26") && p.reason().contains("2 stream key(s)"), p.reason());
        NativePrediction unknown = NativeCompatibility.predict(REDIS_86, VALKEY_91, 0, List.of());
        assertInstanceOf(NativePrediction.Impossible.class, unknown, "streams not counted: assume some");
    }

    @Test
    void redis80StreamsStillGoRelaxed() {
        assertInstanceOf(NativePrediction.NeedsRelaxed.class, NativeCompatibility.predict(REDIS_80, VALKEY_91, 0, 5,
                List.of()));
    }

    @Test
    void redis86IntoValkey91CannotCarryFieldTtls() {
        assertInstanceOf(NativePrediction.Impossible.class, NativeCompatibility.predict(REDIS_86, VALKEY_91, 1, 0,
                List.of()));
    }

    @Test
    void valkey91IntoRedis86WorksWithoutFieldTtlsOnly() {
        assertInstanceOf(NativePrediction.Works.class, NativeCompatibility.predict(VALKEY_91, REDIS_86, 0, 3,
                List.of()));
        NativePrediction p = NativeCompatibility.predict(VALKEY_91, REDIS_86, 2, 0, List.of());
        assertInstanceOf(NativePrediction.Impossible.class, p, "Valkey 9 sends RDB 11, which cannot hold them");
        assertTrue(p.reason().contains("RDB 11"), p.reason());
    }

    @Test
    void redis70IntoRedis86Works() {
        assertInstanceOf(NativePrediction.Works.class, NativeCompatibility.predict(REDIS_70, REDIS_86, 0, 1,
                List.of()));
        assertInstanceOf(NativePrediction.Impossible.class, NativeCompatibility.predict(REDIS_86, REDIS_70, 0, 0,
                List.of()));
    }
}
