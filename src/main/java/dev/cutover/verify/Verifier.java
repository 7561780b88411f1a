package dev.cutover.verify;

import dev.cutover.endpoint.Endpoint;
import dev.cutover.endpoint.ServerInfo;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares source and target. Quick: key counts per db and a random sample. Full: every key on
 * both sides, streamed with SCAN (memory bounded by the largest key, not the dataset).
 * Runs on its own connections, since it SELECTs databases.
 */
public final class Verifier {
    static final long TTL_TOLERANCE_MS = 5_000;
    private final Endpoint source;
    private final Endpoint target;
    private final int showLimit;
    private final List<Difference> shown = new ArrayList<>();
    private final Map<Difference.Kind, Long> counts = new EnumMap<>(Difference.Kind.class);
    private long checked;

    public Verifier(Endpoint source, Endpoint target, int showLimit) {
        this.source = source;
        this.target = target;
        this.showLimit = showLimit;
        for (Difference.Kind k : Difference.Kind.values()) {
            counts.put(k, 0L);
        }
    }

    public VerifyReport run(boolean full, int sample, boolean sourceFrozen) {
        ServerInfo src = ServerInfo.parse(source.info("keyspace"));
        ServerInfo tgt = ServerInfo.parse(target.info("keyspace"));
        Map<String, long[]> keyCounts = new TreeMap<>();
        TreeSet<Integer> dbs = new TreeSet<>(src.keyspace().keySet());
        dbs.addAll(tgt.keyspace().keySet());
        for (int db : dbs) {
            long s = src.keyspace().containsKey(db) ? src.keyspace().get(db).keys() : 0;
            long t = tgt.keyspace().containsKey(db) ? tgt.keyspace().get(db).keys() : 0;
            keyCounts.put("db" + db, new long[] {s, t});
        }
        try {
            for (int db : dbs) {
                source.call("SELECT", String.valueOf(db));
                target.call("SELECT", String.valueOf(db));
                if (full) {
                    // Counted from the scans: INFO also counts keys that expired and wait to be reclaimed.
                    long s = scanAndCompare(db, source, true);
                    long t = scanAndCompare(db, target, false);
                    keyCounts.put("db" + db, new long[] {s, t});
                } else {
                    long keys = src.keyspace().containsKey(db) ? src.keyspace().get(db).keys() : 0;
                    long perDb = Math.min(keys, Math.max(1, (long) sample * keys / Math.max(1, src.totalKeys())));
                    for (long i = 0; i < perDb; i++) {
                        Object key = source.call("RANDOMKEY");
                        if (key != null) {
                            compare(db, key.toString());
                        }
                    }
                }
            }
        } finally {
            source.call("SELECT", String.valueOf(source.uri().db()));
            target.call("SELECT", String.valueOf(target.uri().db()));
        }
        return new VerifyReport(full, keyCounts, checked, List.copyOf(shown),
                java.util.Collections.unmodifiableMap(new EnumMap<>(counts)), sourceFrozen);
    }

    /**
     * From the source: compare every key; from the target: only look for keys the source lacks.
     * Returns the live keys seen on that side (SCAN leaves out expired keys).
     */
    private long scanAndCompare(int db, Endpoint side, boolean fromSource) {
        String cursor = "0";
        long live = 0;
        do {
            List<?> reply = (List<?>) side.call("SCAN", cursor, "COUNT", "1000");
            cursor = String.valueOf(reply.get(0));
            for (Object key : (List<?>) reply.get(1)) {
                if (fromSource) {
                    live += compare(db, key.toString()) ? 1 : 0;
                } else {
                    live++;
                    if (((Number) source.call("EXISTS", key.toString())).longValue() == 0) {
                        add(new Difference(Difference.Kind.EXTRA, db, key.toString(), "on the target only"));
                    }
                }
            }
        } while (!cursor.equals("0"));
        return live;
    }

    /** Compares one key; false when it no longer exists on the source. */
    private boolean compare(int db, String key) {
        checked++;
        KeyFingerprint s = KeyFingerprint.read(source, key);
        KeyFingerprint t = KeyFingerprint.read(target, key);
        if (s.type().equals("none")) {
            checked--; // expired or deleted while we looked
            return false;
        }
        if (t.type().equals("none")) {
            add(new Difference(Difference.Kind.MISSING, db, key, "a " + s.type() + " on the source only"));
        } else if (!s.type().equals(t.type())) {
            add(new Difference(Difference.Kind.TYPE, db, key, s.type() + " on the source, " + t.type() + " on the target"));
        } else if (!s.valueHash().equals(t.valueHash())) {
            add(new Difference(Difference.Kind.VALUE, db, key, "the " + s.type() + " values differ"));
        } else if ((s.pttl() > 0) != (t.pttl() > 0) || Math.abs(s.pttl() - t.pttl()) > TTL_TOLERANCE_MS) {
            add(new Difference(Difference.Kind.TTL, db, key, "TTL " + ttl(s.pttl()) + " on the source, "
                    + ttl(t.pttl()) + " on the target"));
        }
        return true;
    }

    private static String ttl(long pttl) {
        return pttl < 0 ? "none" : (pttl / 1000) + "s";
    }

    private void add(Difference d) {
        counts.merge(d.kind(), 1L, Long::sum);
        if (shown.size() < showLimit) {
            shown.add(d);
        }
    }
}
