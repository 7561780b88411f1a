package dev.cutover.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionFactsTest {

    private static ServerVersion redis(String v) {
        return ServerVersion.parse(ServerKind.REDIS, v);
    }

    private static ServerVersion valkey(String v) {
        return ServerVersion.parse(ServerKind.VALKEY, v);
    }

    @ParameterizedTest
    @CsvSource({
        "7.0.15, 10",
        "7.2.4, 11",
        "7.4.1, 12",
        "8.0.2, 12",
        "8.2.1, 12",
        "8.6.3, 13",
        "6.2.14, 9",
        "5.0.0, 9",
        "4.0.14, 8",
        "3.2.12, 7",
        "3.0.7, 6",
    })
    void redisWritesAndLoadsTheSameVersion(String version, int rdb) {
        RdbSupport s = VersionFacts.rdb(redis(version));
        assertEquals(new RdbSupport(rdb, rdb, false, 0), s);
        assertTrue(s.loads(rdb, false));
        assertFalse(s.loads(rdb + 1, false));
        assertFalse(s.loads(rdb + 1, true));
    }

    @Test
    void redis70() {
        RdbSupport s = VersionFacts.rdb(redis("7.0.15"));
        assertEquals(10, s.written());
        assertTrue(s.loads(1, false));
        assertTrue(s.loads(10, false));
        assertFalse(s.loads(11, false));
        assertFalse(s.loads(80, false));
        assertEquals("RDB 1-10", s.loadableText());
    }

    @Test
    void valkey80WritesElevenAndIsNotRelaxable() {
        RdbSupport s = VersionFacts.rdb(valkey("8.0.1"));
        assertEquals(new RdbSupport(11, 11, false, 0), s);
        assertTrue(s.loads(11, false));
        assertFalse(s.loads(12, false));
        assertFalse(s.loads(12, true));
        assertEquals("RDB 1-11", s.loadableText());
    }

    @Test
    void valkey81IsRelaxable() {
        RdbSupport s = VersionFacts.rdb(valkey("8.1.3"));
        assertEquals(new RdbSupport(11, 11, true, 0), s);
        assertFalse(s.loads(12, false));
        assertTrue(s.loads(12, true));
        assertEquals("RDB 1-11 (newer only with rdb-version-check relaxed)", s.loadableText());
    }

    @Test
    void valkey91WritesEightyAndLoadsOneToElevenAndEighty() {
        RdbSupport s = VersionFacts.rdb(valkey("9.1.2"));
        assertEquals(80, s.written());
        assertEquals(VersionFacts.VALKEY_NATIVE_RDB, s.written());
        assertEquals(new RdbSupport(80, 11, true, 80), s);
        assertTrue(s.loads(1, false));
        assertTrue(s.loads(11, false));
        assertTrue(s.loads(80, false));
        assertFalse(s.loads(12, false));
        assertFalse(s.loads(79, false));
        assertFalse(s.loads(81, false));
        assertTrue(s.loads(12, true));
        assertEquals("RDB 1-11 and 80 (newer only with rdb-version-check relaxed)", s.loadableText());
    }

    @Test
    void rdbSentToReplica() {
        assertEquals(11, VersionFacts.rdbSentToReplica(valkey("9.1.2"), redis("7.0.15")));
        assertEquals(11, VersionFacts.rdbSentToReplica(valkey("9.1.2"), valkey("8.1.0")));
        assertEquals(80, VersionFacts.rdbSentToReplica(valkey("9.0.0"), valkey("9.0.0")));
        assertEquals(80, VersionFacts.rdbSentToReplica(valkey("9.1.2"), valkey("9.0.3")));
        assertEquals(12, VersionFacts.rdbSentToReplica(redis("8.0.2"), valkey("9.1.2")));
        assertEquals(10, VersionFacts.rdbSentToReplica(redis("7.0.15"), valkey("9.1.2")));
        assertEquals(11, VersionFacts.rdbSentToReplica(valkey("8.0.1"), redis("7.0.15")));
    }

    @Test
    void hashFieldTtl() {
        assertFalse(VersionFacts.hasHashFieldTtl(redis("7.0.15")));
        assertFalse(VersionFacts.hasHashFieldTtl(redis("7.2.4")));
        assertTrue(VersionFacts.hasHashFieldTtl(redis("7.4.0")));
        assertTrue(VersionFacts.hasHashFieldTtl(redis("8.0.2")));
        assertFalse(VersionFacts.hasHashFieldTtl(valkey("8.1.3")));
        assertTrue(VersionFacts.hasHashFieldTtl(valkey("9.0.0")));
        assertTrue(VersionFacts.hasHashFieldTtl(valkey("9.1.2")));
    }

    @Test
    void clientPauseWrite() {
        assertFalse(VersionFacts.hasClientPauseWrite(redis("6.0.20")));
        assertTrue(VersionFacts.hasClientPauseWrite(redis("6.2.0")));
        assertTrue(VersionFacts.hasClientPauseWrite(valkey("7.2.5")));
    }

    @Test
    void serverVersionParsing() {
        assertEquals(new ServerVersion(ServerKind.REDIS, 7, 0, 15), redis("7.0.15"));
        assertEquals(new ServerVersion(ServerKind.VALKEY, 9, 1, 0), valkey("9.1"));
        assertEquals(new ServerVersion(ServerKind.REDIS, 0, 0, 0), redis("unknown"));
        assertEquals(new ServerVersion(ServerKind.REDIS, 0, 0, 0), redis(null));
        assertEquals("Valkey 9.1.2", valkey("9.1.2").toString());
        assertTrue(redis("7.4.0").atLeast(7, 4));
        assertFalse(redis("7.3.9").atLeast(7, 4));
        assertTrue(redis("8.0.0").atLeast(7, 4));
        assertTrue(redis("7.0.15").compareTo(redis("7.2.0")) < 0);
    }
}
