package dev.cutover.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.local.ServerSpec;
import dev.cutover.testing.Servers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reader on a real replication link: the snapshot a primary sends to a replica that asked
 * with PSYNC (diskless, ending in an EOF mark, or disk-based with a length), and what each
 * flavour sends and accepts.
 */
class RdbReplicationIT {
    @RegisterExtension
    final Servers servers = new Servers();

    /** What the primary said before the snapshot: the EOF mark (diskless) or the length (disk-based). */
    record Preamble(byte[] eofMark, long length) {
    }

    static Preamble psync(Resp link, String announcedVersion) throws IOException {
        link.ok("REPLCONF", "capa", "eof", "capa", "psync2");
        if (announcedVersion != null) {
            link.ok("REPLCONF", "version", announcedVersion);
        }
        link.send(List.of("PSYNC".getBytes(), "?".getBytes(), "-1".getBytes()));
        link.flush();
        Object full = link.reply();
        assertTrue(Resp.s(full).startsWith("FULLRESYNC"), Resp.s(full));
        int c;
        while ((c = link.in.read()) == '\n') {
            // keep-alive newlines while the primary prepares the snapshot
        }
        if (c < 0) {
            throw new IOException("connection closed by the primary before the snapshot");
        }
        assertEquals('$', c);
        String line = link.line();
        if (line.startsWith("EOF:")) {
            return new Preamble(line.substring(4).getBytes(StandardCharsets.US_ASCII), -1);
        }
        return new Preamble(null, Long.parseLong(line));
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void readsTheDisklessSnapshotAndStopsAtTheMark(Flavour flavour) throws IOException {
        LocalServer source = servers.start(flavour);
        Map<String, LiveKeys.Live> live = new TreeMap<>();
        try (Resp r = new Resp(source); Resp link = new Resp(source)) {
            Fill.everything(source, r);
            for (int db : new int[] {0, 1, 3, 5}) {
                live.putAll(LiveKeys.all(r, db, Fill.hasFieldTtls(flavour), true));
            }
            // A Valkey 9 replica says which version it is; only then does Valkey 9 send VALKEY080.
            Preamble p = psync(link, flavour == Flavour.VALKEY_9 ? "9.1.2" : null);
            assertEquals(40, p.eofMark().length, "diskless sync is the default on every flavour");
            RdbReader reader = new RdbReader(link.in, RdbReader.Options.defaults().withEofMark(p.eofMark())
                    .withPartBytes(64 * 1024));
            Collector parsed = new Collector();
            reader.read(parsed);
            assertEquals(switch (flavour) {
                case REDIS_7 -> 10;
                case REDIS_8 -> 12;
                case REDIS_86 -> 13;
                case VALKEY_8 -> 11;
                case VALKEY_9 -> 80;
            }, parsed.version);
            assertEquals(reader.offset(), parsed.endBytes);
            Map<String, LiveKeys.Live> read = new TreeMap<>();
            parsed.whole().forEach((k, w) -> read.put(k, LiveKeys.of(w, true, flavour != Flavour.REDIS_7)));
            assertEquals(live, read);

            // The command stream follows on the same socket: the reader must not have taken any of it.
            // After a diskless snapshot the primary waits for the replica's first ACK before streaming.
            link.send(List.of("REPLCONF".getBytes(), "ACK".getBytes(), "0".getBytes()));
            link.flush();
            r.ok("SELECT", 0);
            r.ok("SET", "after-sync", "1");
            Object next = link.reply();
            while (next instanceof List<?> l && !Resp.s(l.get(0)).equalsIgnoreCase("SET")) {
                next = link.reply();
            }
            assertEquals("after-sync", Resp.s(((List<?>) next).get(1)));
        }
    }

    @Test
    void diskBasedSnapshotHasALengthAndNoMark() throws IOException {
        LocalServer source = servers.start(ServerSpec.of(Flavour.REDIS_7).withConfig(List.of("repl-diskless-sync no")));
        try (Resp r = new Resp(source); Resp link = new Resp(source)) {
            r.ok("SET", "k", "v");
            Preamble p = psync(link, null);
            assertTrue(p.length() > 0);
            Collector parsed = new Collector();
            new RdbReader(link.in, RdbReader.Options.defaults()).read(parsed);
            assertEquals(p.length(), parsed.endBytes);
            assertEquals("v", Keys.text(((RdbValue.StringValue) parsed.entries.get(0).value()).value()));
        }
    }

    /** A fact the psync writer needs: without "REPLCONF version 9...", Valkey 9 sends RDB 11 and fails on field TTLs. */
    @Test
    void valkey9SendsRdb11UnlessTheReplicaAnnouncesItselfAndThenFieldTtlsBreakTheSync() throws IOException {
        LocalServer source = servers.start(Flavour.VALKEY_9);
        try (Resp r = new Resp(source); Resp link = new Resp(source)) {
            r.ok("SET", "k", "v");
            psync(link, null);
            assertEquals("REDIS0011", new String(link.in.readNBytes(9), StandardCharsets.US_ASCII));
        }
        try (Resp r = new Resp(source); Resp link = new Resp(source)) {
            r.ok("HSET", "h", "a", "1", "b", "2");
            r.ok("HPEXPIREAT", "h", Fill.LATER, "FIELDS", 1, "a");
            IOException e = assertThrows(IOException.class, () -> psync(link, null));
            assertTrue(e.getMessage().contains("closed"), "the primary drops the link: " + e.getMessage());
            // Announced as Valkey 9, the same data syncs.
            try (Resp link2 = new Resp(source)) {
                Preamble p = psync(link2, "9.1.2");
                Collector parsed = new Collector();
                new RdbReader(link2.in, RdbReader.Options.defaults().withEofMark(p.eofMark())).read(parsed);
                assertEquals(80, parsed.version);
                assertEquals(List.of("a=1@" + Fill.LATER, "b=2"), parsed.whole().get("0:h").items());
            }
        }
    }

    /** Which payload versions each flavour's RESTORE accepts (the payload's value is a plain string). */
    @Test
    void restoreAcceptsPayloadVersionsUpToItsOwn() {
        int[] versions = {9, 10, 11, 12, 13, 79, 80, 81};
        Map<Flavour, List<Integer>> accepted = new TreeMap<>();
        byte[] body = {3, 'b', 'a', 'r'};
        for (Flavour f : Flavour.values()) {
            LocalServer server = servers.start(f);
            List<Integer> ok = new ArrayList<>();
            try (Resp r = new Resp(server)) {
                r.ok("SET", "probe", "bar");
                byte[] dumped = (byte[]) r.ok("DUMP", "probe");
                assertArrayEquals(DumpPayload.of(0, body, DumpPayload.version(dumped)), dumped,
                        "DUMP is type, encoding, version and CRC-64 as DumpPayload builds it");
                for (int v : versions) {
                    Object reply = r.call("RESTORE", "k" + v, 0, DumpPayload.of(0, body, v), "REPLACE");
                    if ("OK".equals(reply)) {
                        ok.add(v);
                    }
                }
            }
            accepted.put(f, ok);
        }
        System.out.println("RESTORE accepts payload versions: " + accepted);
        assertEquals(List.of(9, 10), accepted.get(Flavour.REDIS_7));
        assertEquals(List.of(9, 10, 11, 12), accepted.get(Flavour.REDIS_8));
        assertEquals(List.of(9, 10, 11, 12, 13), accepted.get(Flavour.REDIS_86));
        assertEquals(List.of(9, 10, 11), accepted.get(Flavour.VALKEY_8));
        assertEquals(List.of(9, 10, 11, 80), accepted.get(Flavour.VALKEY_9));
    }
}
