package dev.cutover.replication;

import dev.cutover.rdb.HashField;
import dev.cutover.rdb.PendingEntry;
import dev.cutover.rdb.RdbEntry;
import dev.cutover.rdb.RdbValue;
import dev.cutover.rdb.ScoredMember;
import dev.cutover.rdb.StreamConsumer;
import dev.cutover.rdb.StreamEntry;
import dev.cutover.rdb.StreamGroup;
import dev.cutover.rdb.StreamId;
import dev.cutover.rdb.StreamMeta;
import dev.cutover.resp.RespError;
import dev.cutover.resp.RespSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one key with the commands of its type, for a source that refuses DUMP: GET, LRANGE,
 * SMEMBERS, ZRANGE WITHSCORES, HGETALL (+ HPEXPIRETIME where the source has field TTLs) and
 * XINFO STREAM FULL. The reads are not atomic: a change made meanwhile raises a keyspace event
 * and the key is copied again. Returns null when the key is gone.
 */
final class TypewiseReader {
    private final RespSocket source;
    private final boolean fieldTtls;

    TypewiseReader(RespSocket source, boolean fieldTtls) {
        this.source = source;
        this.fieldTtls = fieldTtls;
    }

    RdbEntry read(int db, byte[] key) {
        String type = text(call("TYPE", key));
        long pttl = call("PTTL", key) instanceof Long l ? l : -1;
        long expireAt = pttl > 0 ? System.currentTimeMillis() + pttl : -1;
        RdbValue value = switch (type) {
            case "none" -> null;
            case "string" -> {
                Object v = call("GET", key);
                yield v == null ? null : new RdbValue.StringValue((byte[]) v);
            }
            case "list" -> new RdbValue.ListValue(bytesList(call("LRANGE", key, b("0"), b("-1"))));
            case "set" -> new RdbValue.SetValue(bytesList(call("SMEMBERS", key)));
            case "zset" -> zset(call("ZRANGE", key, b("0"), b("-1"), b("WITHSCORES")));
            case "hash" -> hash(key);
            case "stream" -> stream(call("XINFO", b("STREAM"), key, b("FULL"), b("COUNT"), b("0")));
            default -> throw new IllegalArgumentException("key '" + text(key) + "' is a " + type
                    + ", which cutover cannot copy without DUMP");
        };
        if (value == null || pttl == -2) {
            return null;
        }
        return new RdbEntry(db, key, expireAt, value, true, true, null, 0, -1, -1);
    }

    private Object call(String name, byte[]... args) {
        List<byte[]> command = new ArrayList<>(args.length + 1);
        command.add(b(name));
        command.addAll(List.of(args));
        Object reply = source.call(command);
        if (reply instanceof RespError e) {
            throw new IllegalStateException("the source refused " + name + ": " + e.message());
        }
        return reply;
    }

    private RdbValue zset(Object reply) {
        List<byte[]> flat = bytesList(reply);
        List<ScoredMember> members = new ArrayList<>(flat.size() / 2);
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            members.add(new ScoredMember(flat.get(i), Double.parseDouble(text(flat.get(i + 1)))));
        }
        return new RdbValue.SortedSetValue(members);
    }

    private RdbValue hash(byte[] key) {
        List<byte[]> flat = bytesList(call("HGETALL", key));
        List<HashField> fields = new ArrayList<>(flat.size() / 2);
        List<Object> expiry = null;
        if (fieldTtls && !flat.isEmpty()) {
            List<byte[]> args = new ArrayList<>();
            args.add(key);
            args.add(b("FIELDS"));
            args.add(b(Integer.toString(flat.size() / 2)));
            for (int i = 0; i < flat.size(); i += 2) {
                args.add(flat.get(i));
            }
            @SuppressWarnings("unchecked")
            List<Object> times = (List<Object>) call("HPEXPIRETIME", args.toArray(byte[][]::new));
            expiry = times;
        }
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            long at = expiry != null && expiry.get(i / 2) instanceof Long l && l > 0 ? l : -1;
            fields.add(new HashField(flat.get(i), flat.get(i + 1), at));
        }
        return new RdbValue.HashValue(fields);
    }

    /** XINFO STREAM key FULL: entries, the id bookkeeping, groups with their PEL and consumers. */
    private RdbValue stream(Object reply) {
        Map<String, Object> info = map(reply);
        List<StreamEntry> entries = new ArrayList<>();
        for (Object e : (List<?>) info.getOrDefault("entries", List.of())) {
            List<?> pair = (List<?>) e;
            entries.add(new StreamEntry(id(pair.get(0)), bytesList(pair.get(1))));
        }
        StreamMeta meta = new StreamMeta(id(info.get("last-generated-id")),
                info.get("entries-added") instanceof Long l ? l : -1,
                info.containsKey("max-deleted-entry-id") ? id(info.get("max-deleted-entry-id")) : null,
                info.containsKey("recorded-first-entry-id") ? id(info.get("recorded-first-entry-id")) : null);
        List<StreamGroup> groups = new ArrayList<>();
        for (Object g : (List<?>) info.getOrDefault("groups", List.of())) {
            Map<String, Object> group = map(g);
            List<PendingEntry> pending = new ArrayList<>();
            for (Object p : (List<?>) group.getOrDefault("pending", List.of())) {
                List<?> row = (List<?>) p; // id, consumer, delivery time, delivery count
                pending.add(new PendingEntry(id(row.get(0)), (Long) row.get(2), (Long) row.get(3), (byte[]) row.get(1)));
            }
            List<StreamConsumer> consumers = new ArrayList<>();
            for (Object c : (List<?>) group.getOrDefault("consumers", List.of())) {
                Map<String, Object> consumer = map(c);
                consumers.add(new StreamConsumer((byte[]) consumer.get("name"), (Long) consumer.get("seen-time"),
                        consumer.get("active-time") instanceof Long l ? l : -1));
            }
            groups.add(new StreamGroup((byte[]) group.get("name"), id(group.get("last-delivered-id")),
                    group.get("entries-read") instanceof Long l ? l : -1, pending, consumers));
        }
        return new RdbValue.StreamValue(entries, meta, groups);
    }

    private static Map<String, Object> map(Object reply) {
        List<?> flat = (List<?>) reply;
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            m.put(text(flat.get(i)), flat.get(i + 1));
        }
        return m;
    }

    private static StreamId id(Object o) {
        return StreamId.parse(text(o));
    }

    private static List<byte[]> bytesList(Object reply) {
        List<byte[]> out = new ArrayList<>();
        for (Object o : (List<?>) reply) {
            out.add((byte[]) o);
        }
        return out;
    }

    private static String text(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
