package dev.cutover.rdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.testing.KeyMetaModule;
import dev.cutover.testing.Servers;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What only Redis 8.6 writes, read from the real server's own files: key metadata (opcode 243)
 * made by Redis's own test module (test_keymeta.so, built by scripts/provision-servers.sh), and a
 * stream's idempotency state, each recorded id checked against the server itself.
 */
class Redis86RdbIT {
    @RegisterExtension
    final Servers servers = new Servers();

    private LocalServer withKeyMetaModule() {
        return servers.start(KeyMetaModule.redis86());
    }

    @Test
    void readsKeyMetadataAndIdempotencyAsRedis86SavesThem() throws IOException {
        LocalServer server = withKeyMetaModule();
        Map<String, LiveKeys.Live> live = new TreeMap<>();
        Collector parsed;
        try (Resp r = new Resp(server)) {
            r.ok("KEYMETA.REGISTER", "KMT1", 1, "ALLOWIGNORE:RDBLOAD:RDBSAVE");
            r.ok("KEYMETA.REGISTER", "KMT2", 3, "RDBLOAD:RDBSAVE");
            r.ok("SET", "meta:string", "v");
            r.ok("PEXPIREAT", "meta:string", Fill.LATER);
            r.ok("KEYMETA.SET", "KMT1", "meta:string", "hello");
            r.ok("KEYMETA.SET", "KMT2", "meta:string", "world");
            r.ok("HSET", "meta:hash", "a", "1", "b", "2");
            r.ok("HPEXPIREAT", "meta:hash", Fill.LATER, "FIELDS", 1, "a");
            r.ok("KEYMETA.SET", "KMT2", "meta:hash", "x".repeat(300));
            Fill.idempotentStream(r, "meta:stream");
            r.ok("KEYMETA.SET", "KMT1", "meta:stream", "s");
            Fill.idempotentStream(r, "plain:stream");
            r.ok("SET", "plain:string", "p");
            live.putAll(LiveKeys.all(r, 0, true, true));
            r.ok("SAVE");
            try (InputStream in = new BufferedInputStream(Files.newInputStream(server.dir().resolve("dump.rdb")))) {
                parsed = Collector.read(in, RdbReader.Options.defaults());
            }

            assertEquals(13, parsed.version);
            assertTrue(parsed.checksumChecked);
            Map<String, RdbEntry> byKey = new TreeMap<>();
            parsed.entries.forEach(e -> byKey.put(e.keyText(), e));
            KeyMetadata kmt1 = new KeyMetadata("KMT1", 1, KeyMetadata.ALLOW_IGNORE);
            KeyMetadata kmt2 = new KeyMetadata("KMT2", 3, 0);
            assertEquals(List.of(kmt1, kmt2), byKey.get("meta:string").keyMetadata());
            assertEquals(List.of(kmt2), byKey.get("meta:hash").keyMetadata());
            assertEquals(List.of(kmt1), byKey.get("meta:stream").keyMetadata());
            assertEquals(List.of(), byKey.get("plain:string").keyMetadata());
            assertEquals(Fill.LATER, byKey.get("meta:string").expireAtMs(), "the expiry before the metadata holds");

            Map<String, LiveKeys.Live> read = new TreeMap<>();
            parsed.whole().forEach((k, w) -> read.put(k, LiveKeys.of(w, true, true)));
            assertEquals(live, read);

            // Every recorded idempotent id is one the server knows: XADD with it returns the entry it made.
            int checked = 0;
            for (String key : List.of("meta:stream", "plain:stream")) {
                StreamIdempotency idmp = parsed.whole().get("0:" + key).meta().idempotency();
                assertEquals(86_400, idmp.durationSeconds());
                assertEquals(20, idmp.maxEntries());
                assertEquals(4, idmp.iidsAdded());
                assertEquals(1, idmp.iidsDuplicates());
                for (StreamIdempotency.Producer p : idmp.producers()) {
                    for (StreamIdempotency.Recorded rec : p.recorded()) {
                        Object id = r.ok("XADD", key, "IDMP", p.pid(), rec.iid(), "*", "probe", "1");
                        assertEquals(rec.entryId().toString(), Resp.s(id), key + " " + Keys.text(p.pid()));
                        checked++;
                    }
                }
            }
            assertEquals(8, checked);

            // DUMP of a key with metadata starts with it; the payload reader steps over it to the type.
            byte[] dump = (byte[]) r.ok("DUMP", "meta:string");
            assertEquals(243, dump[0] & 0xff);
            assertEquals(0, DumpPayload.type(dump));
            assertTrue(DumpPayload.typeOffset(dump) > 10);
            byte[] plain = (byte[]) r.ok("DUMP", "plain:stream");
            assertEquals(26, DumpPayload.type(plain));
            assertEquals(0, DumpPayload.typeOffset(plain));
        }
    }
}
