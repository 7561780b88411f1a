package dev.cutover.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checked-in files of old encodings (from Redis's own test suite), read offline. */
class RdbFixturesTest {
    static final Path DIR = Path.of("/work/shared/fixtures/rdb");

    static byte[] bytes(String name) throws IOException {
        return Files.readAllBytes(DIR.resolve(name));
    }

    @Test
    void zipmapHashFromRdb3() {
        Collector c = Collector.read(DIR.resolve("hash-zipmap.rdb"));
        assertEquals(3, c.version);
        assertFalse(c.checksumChecked);
        Keys.Whole h = c.whole().get("0:hash");
        assertEquals("hash", h.type());
        assertEquals(List.of("f1=v1", "f2=v2"), h.items());
    }

    @Test
    void encodingsOfRdb4() {
        Collector c = Collector.read(DIR.resolve("encodings.rdb"));
        Map<String, Keys.Whole> keys = c.whole();
        assertEquals(List.of("0:zset", "0:set_zipped_1", "0:list_zipped", "0:string", "0:compressible", "0:set_zipped_2",
                "0:number", "0:set_zipped_3", "0:set", "0:list", "0:hash_zipped", "0:zset_zipped", "0:hash"),
                List.copyOf(keys.keySet()));
        assertEquals(List.of("Hello World"), keys.get("0:string").items());
        assertEquals(List.of("a".repeat(137)), keys.get("0:compressible").items());
        assertEquals(List.of("10"), keys.get("0:number").items());
        assertEquals(List.of("1", "2", "3", "4"), keys.get("0:set_zipped_1").items());
        assertEquals(List.of("1000000000", "2000000000", "3000000000", "4000000000", "5000000000", "6000000000"),
                keys.get("0:set_zipped_3").items());
        assertEquals(List.of("a=1", "b=2", "c=3"), keys.get("0:hash_zipped").items());
        assertEquals(List.of("a=1", "b=2", "c=3"), keys.get("0:zset_zipped").items());
        assertTrue(keys.get("0:zset").items().contains("bbbb=5000000000"));
        assertEquals(24, keys.get("0:list").items().size());
    }

    @Test
    void ziplistHashAndZsetAndQuicklist() {
        assertEquals(List.of("f1=v1", "f2=v2"), Collector.read(DIR.resolve("hash-ziplist.rdb")).whole().get("0:hash").items());
        assertEquals(List.of("one=1", "two=2"), Collector.read(DIR.resolve("zset-ziplist.rdb")).whole().get("0:zset").items());
        Collector q = Collector.read(DIR.resolve("list-quicklist.rdb"));
        assertEquals(8, q.version);
        assertTrue(q.checksumChecked);
        assertEquals(List.of("7"), q.whole().get("0:list").items());
    }

    @Test
    void preambleStopsAtTheChecksumAndLeavesTheAofTail() throws IOException {
        byte[] data = bytes("rdb-preamble.aof");
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        Collector c = Collector.read(in, RdbReader.Options.defaults());
        assertEquals(List.of("0:k2", "0:k1"), List.copyOf(c.whole().keySet()));
        assertTrue(c.checksumChecked);
        assertEquals(data.length - c.endBytes, in.available());
        assertTrue(new String(in.readAllBytes()).startsWith("*2\r\n$6\r\nSELECT"));
    }

    @Test
    void luaScriptsComeAsAuxFields() {
        Collector c = Collector.read(DIR.resolve("scriptbackup.rdb"));
        assertEquals("return redis.call('set', 'foo', 'bar')", new String(c.aux.get("lua")));
        assertTrue(c.entries.isEmpty());
    }

    @Test
    void emptyKeysAreDroppedAsTheServerDropsThem() {
        Collector c = Collector.read(DIR.resolve("corrupt_empty_keys.rdb"));
        assertTrue(c.entries.isEmpty(), () -> "kept " + c.whole().keySet());
        assertTrue(c.checksumChecked);
    }

    @Test
    void corruptZiplistFailsWithItsOffset() throws IOException {
        RdbException e = assertThrows(RdbException.class,
                () -> Collector.read(bytes("corrupt_ziplist.rdb"), RdbReader.Options.defaults()));
        assertTrue(e.offset() > 0 && e.offset() < bytes("corrupt_ziplist.rdb").length, e.getMessage());
        assertTrue(e.getMessage().startsWith("corrupt RDB at byte " + e.offset() + ": expected"), e.getMessage());
        assertNotNull(e.getMessage());
    }
}
