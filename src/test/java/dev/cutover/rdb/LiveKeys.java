package dev.cutover.rdb;

import static dev.cutover.rdb.Resp.s;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A live server's keys in the same canonical text as {@link Keys}: what the oracle says, to
 * compare with what the reader parsed.
 */
final class LiveKeys {
    /** A key as text: type, items (sorted where order is not kept), expiry, and stream extras. */
    record Live(String type, List<String> items, long expireAtMs, List<String> streamInfo) {
    }

    private LiveKeys() {
    }

    static Map<String, Live> all(Resp r, int db, boolean fieldTtls, boolean consumerTimes) {
        r.ok("SELECT", db);
        Map<String, Live> out = new TreeMap<>();
        String cursor = "0";
        do {
            List<?> reply = (List<?>) r.ok("SCAN", cursor, "COUNT", 1000);
            cursor = s(reply.get(0));
            for (Object k : (List<?>) reply.get(1)) {
                out.put(db + ":" + s(k), one(r, (byte[]) k, fieldTtls, consumerTimes));
            }
        } while (!cursor.equals("0"));
        return out;
    }

    static Live one(Resp r, byte[] key, boolean fieldTtls, boolean consumerTimes) {
        String type = s(r.ok("TYPE", key));
        long expireAt = (Long) r.ok("PEXPIRETIME", key);
        List<String> items = new ArrayList<>();
        List<String> info = List.of();
        switch (type) {
            case "string" -> items.add(s(r.ok("GET", key)));
            case "list" -> ((List<?>) r.ok("LRANGE", key, 0, -1)).forEach(x -> items.add(s(x)));
            case "set" -> ((List<?>) r.ok("SMEMBERS", key)).forEach(x -> items.add(s(x)));
            case "zset" -> {
                List<?> l = (List<?>) r.ok("ZRANGE", key, 0, -1, "WITHSCORES");
                for (int i = 0; i < l.size(); i += 2) {
                    items.add(s(l.get(i)) + "=" + Keys.score(ValueReader.parseDouble(s(l.get(i + 1)))));
                }
            }
            case "hash" -> {
                List<?> l = (List<?>) r.ok("HGETALL", key);
                for (int i = 0; i < l.size(); i += 2) {
                    String ttl = "";
                    if (fieldTtls) {
                        List<?> t = (List<?>) r.ok("HPEXPIRETIME", key, "FIELDS", 1, l.get(i));
                        long at = (Long) t.get(0);
                        ttl = at >= 0 ? "@" + at : "";
                    }
                    items.add(s(l.get(i)) + "=" + s(l.get(i + 1)) + ttl);
                }
            }
            case "stream" -> {
                for (Object e : (List<?>) r.ok("XRANGE", key, "-", "+")) {
                    List<?> entry = (List<?>) e;
                    StringBuilder sb = new StringBuilder(s(entry.get(0)));
                    ((List<?>) entry.get(1)).forEach(x -> sb.append(' ').append(s(x)));
                    items.add(sb.toString());
                }
                info = streamInfo(r, key, consumerTimes);
            }
            default -> items.add("?" + type);
        }
        if (type.equals("set") || type.equals("hash") || type.equals("zset")) {
            items.sort(null);
        }
        return new Live(type, items, expireAt, info);
    }

    private static Map<String, Object> map(Object flat) {
        List<?> l = (List<?>) flat;
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < l.size(); i += 2) {
            m.put(s(l.get(i)), l.get(i + 1));
        }
        return m;
    }

    static List<String> streamInfo(Resp r, byte[] key, boolean consumerTimes) {
        Map<String, Object> m = map(r.ok("XINFO", "STREAM", key, "FULL", "COUNT", 0));
        List<String> out = new ArrayList<>();
        out.add("last=" + s(m.get("last-generated-id")) + " added=" + s(m.get("entries-added"))
                + " maxdel=" + s(m.get("max-deleted-entry-id")) + " first=" + s(m.get("recorded-first-entry-id")));
        if (m.containsKey("idmp-duration")) {
            out.add(idmp(s(m.get("idmp-duration")), s(m.get("idmp-maxsize")), s(m.get("pids-tracked")),
                    s(m.get("iids-tracked")), s(m.get("iids-added")), s(m.get("iids-duplicates"))));
        }
        for (Object g : (List<?>) m.get("groups")) {
            Map<String, Object> gm = map(g);
            Object read = gm.get("entries-read");
            out.add("group " + s(gm.get("name")) + " last=" + s(gm.get("last-delivered-id")) + " read="
                    + (read == null ? "-1" : s(read)));
            for (Object p : (List<?>) gm.get("pending")) {
                List<?> pl = (List<?>) p;
                out.add("  pel " + s(pl.get(0)) + " " + s(pl.get(1)) + " t=" + s(pl.get(2)) + " n=" + s(pl.get(3)));
            }
            for (Object c : (List<?>) gm.get("consumers")) {
                Map<String, Object> cm = map(c);
                out.add("  consumer " + s(cm.get("name")) + (consumerTimes ? " seen=" + s(cm.get("seen-time"))
                        + (cm.containsKey("active-time") ? " active=" + s(cm.get("active-time")) : "") : ""));
            }
        }
        return out;
    }

    /** The parsed key in the same text as {@link #streamInfo}. */
    static List<String> streamInfo(Keys.Whole w, boolean consumerTimes, boolean hasActiveTime) {
        List<String> out = new ArrayList<>();
        StreamMeta meta = w.meta();
        out.add("last=" + meta.lastId() + " added=" + meta.entriesAdded() + " maxdel=" + meta.maxDeletedId()
                + " first=" + meta.firstId());
        StreamIdempotency i = meta.idempotency();
        if (i != null) {
            out.add(idmp(String.valueOf(i.durationSeconds()), String.valueOf(i.maxEntries()),
                    String.valueOf(i.producers().size()), String.valueOf(i.recordedIds()), String.valueOf(i.iidsAdded()),
                    String.valueOf(i.iidsDuplicates())));
        }
        for (StreamGroup g : w.groups()) {
            out.add("group " + Keys.text(g.name()) + " last=" + g.lastId() + " read=" + g.entriesRead());
            for (PendingEntry p : g.pending()) {
                out.add("  pel " + p.id() + " " + Keys.text(p.consumer()) + " t=" + p.deliveryTimeMs() + " n="
                        + p.deliveryCount());
            }
            for (StreamConsumer c : g.consumers()) {
                out.add("  consumer " + Keys.text(c.name()) + (consumerTimes ? " seen=" + c.seenTimeMs()
                        + (hasActiveTime ? " active=" + c.activeTimeMs() : "") : ""));
            }
        }
        return out;
    }

    /** Redis 8.6's idempotency settings and counters, as XINFO STREAM FULL shows them. */
    static String idmp(String duration, String maxSize, String pids, String iids, String added, String dups) {
        return "idmp duration=" + duration + " maxsize=" + maxSize + " pids=" + pids + " iids=" + iids + " added="
                + added + " dups=" + dups;
    }

    /** The parsed key as a {@link Live}. */
    static Live of(Keys.Whole w, boolean consumerTimes, boolean hasActiveTime) {
        return new Live(w.type(), w.items(), w.expireAtMs(),
                w.type().equals("stream") ? streamInfo(w, consumerTimes, hasActiveTime) : List.of());
    }
}
