package dev.cutover.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares two live servers key by key through ordinary read commands, not DEBUG DIGEST (whose
 * hashes differ between Redis and Valkey for some encodings): each key's type, value, expiry,
 * each hash field's expiry, and a stream's entries, ids, counters, groups and pending lists.
 * Expiries may differ by up to a minute (scan mode carries relative TTLs); what commands cannot
 * carry (delivery and seen times) is left out.
 */
public final class KeyByKey {
    static final long TTL_SLACK_MS = 60_000;

    private KeyByKey() {
    }

    /** One key as text, and its expiries to compare with slack. */
    public record Value(String type, List<String> items, long expireAtMs, Map<String, Long> fieldExpiries) {
    }

    /** Asserts every key of {@code db} is on both sides, equal; returns how many keys were compared. */
    public static int sameKeys(Redis src, Redis tgt, int db) {
        Map<String, Value> a = all(src, db);
        Map<String, Value> b = all(tgt, db);
        assertEquals(a.keySet(), b.keySet(), "keys of db" + db);
        for (String key : a.keySet()) {
            Value x = a.get(key);
            Value y = b.get(key);
            assertEquals(x.type(), y.type(), "type of " + key);
            assertEquals(x.items(), y.items(), "value of " + key);
            near(x.expireAtMs(), y.expireAtMs(), "expiry of " + key);
            assertEquals(x.fieldExpiries().keySet(), y.fieldExpiries().keySet(), "fields with a TTL in " + key);
            x.fieldExpiries().forEach((f, at) -> near(at, y.fieldExpiries().get(f), "expiry of " + key + "." + f));
        }
        return a.size();
    }

    private static void near(long a, long b, String what) {
        assertEquals(a < 0, b < 0, what + ": " + a + " vs " + b);
        assertTrue(Math.abs(a - b) <= TTL_SLACK_MS, what + ": " + a + " vs " + b);
    }

    public static Map<String, Value> all(Redis r, int db) {
        boolean fieldTtls = hasFieldTtls(r);
        r.sync().select(db);
        try {
            Map<String, Value> out = new TreeMap<>();
            String cursor = "0";
            do {
                List<?> reply = (List<?>) r.raw("SCAN", cursor, "COUNT", 1000);
                cursor = String.valueOf(reply.get(0));
                for (Object k : (List<?>) reply.get(1)) {
                    out.put(String.valueOf(k), one(r, String.valueOf(k), fieldTtls));
                }
            } while (!cursor.equals("0"));
            return out;
        } finally {
            r.sync().select(0);
        }
    }

    /** Whether the server knows hash-field TTLs (HPEXPIRETIME: Redis 7.4+, Valkey 9). */
    static boolean hasFieldTtls(Redis r) {
        List<?> info = (List<?>) r.raw("COMMAND", "INFO", "HPEXPIRETIME");
        return !info.isEmpty() && info.get(0) != null;
    }

    public static Value one(Redis r, String key, boolean withFieldTtls) {
        String type = r.sync().type(key);
        long pttl = r.sync().pttl(key);
        long expireAt = pttl < 0 ? -1 : System.currentTimeMillis() + pttl;
        List<String> items = new ArrayList<>();
        Map<String, Long> fieldTtls = new TreeMap<>();
        switch (type) {
            case "string" -> items.add(r.sync().get(key));
            case "list" -> items.addAll(r.sync().lrange(key, 0, -1));
            case "set" -> items.addAll(r.sync().smembers(key));
            case "zset" -> r.sync().zrangeWithScores(key, 0, -1).forEach(v -> items.add(v.getValue() + "=" + v.getScore()));
            case "hash" -> r.sync().hgetall(key).forEach((f, v) -> {
                items.add(f + "=" + v);
                if (!withFieldTtls) {
                    return;
                }
                long at = ((List<?>) r.raw("HPEXPIRETIME", key, "FIELDS", 1, f)).stream().mapToLong(x -> (Long) x).sum();
                if (at >= 0) {
                    fieldTtls.put(f, at);
                }
            });
            case "stream" -> {
                for (Object e : (List<?>) r.raw("XRANGE", key, "-", "+")) {
                    List<?> entry = (List<?>) e;
                    items.add(entry.get(0) + " " + entry.get(1));
                }
                items.addAll(streamInfo(r, key));
            }
            default -> items.add("?" + type);
        }
        if (!type.equals("list") && !type.equals("stream")) {
            items.sort(null);
        }
        return new Value(type, items, expireAt, fieldTtls);
    }

    private static List<String> streamInfo(Redis r, String key) {
        Map<String, Object> m = map(r.raw("XINFO", "STREAM", key, "FULL", "COUNT", 0));
        List<String> out = new ArrayList<>();
        out.add("length=" + m.get("length") + " last=" + m.get("last-generated-id") + " added=" + m.get("entries-added")
                + " maxdel=" + m.get("max-deleted-entry-id") + " first=" + m.get("recorded-first-entry-id"));
        for (Object g : (List<?>) m.get("groups")) {
            Map<String, Object> gm = map(g);
            out.add("group " + gm.get("name") + " last=" + gm.get("last-delivered-id") + " read=" + gm.get("entries-read")
                    + " lag=" + gm.get("lag"));
            for (Object p : (List<?>) gm.get("pending")) {
                List<?> pl = (List<?>) p;
                out.add("  pel " + pl.get(0) + " " + pl.get(1) + " n=" + pl.get(3));
            }
            for (Object c : (List<?>) gm.get("consumers")) {
                Map<String, Object> cm = map(c);
                out.add("  consumer " + cm.get("name") + " pending=" + cm.get("pel-count"));
            }
        }
        return out;
    }

    private static Map<String, Object> map(Object flat) {
        List<?> l = (List<?>) flat;
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < l.size(); i += 2) {
            m.put(String.valueOf(l.get(i)), l.get(i + 1));
        }
        return m;
    }
}
