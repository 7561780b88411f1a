package dev.cutover.rdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Joins parts into whole keys and renders values as comparable text, for tests. */
final class Keys {
    private Keys() {
    }

    /** A whole key: its type, a canonical text form of its value, its expiry and its entries. */
    record Whole(int db, String key, String type, List<String> items, long expireAtMs, List<RdbEntry> parts,
                 StreamMeta meta, List<StreamGroup> groups) {
    }

    static Map<String, Whole> join(List<RdbEntry> entries) {
        Map<String, Whole> out = new LinkedHashMap<>();
        List<RdbEntry> current = new ArrayList<>();
        for (RdbEntry e : entries) {
            if (e.first() && !current.isEmpty()) {
                throw new AssertionError("key " + e.keyText() + " started before the previous one ended");
            }
            current.add(e);
            if (e.last()) {
                Whole w = whole(current);
                out.put(w.db() + ":" + w.key(), w);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            throw new AssertionError("the last key did not end");
        }
        return out;
    }

    private static Whole whole(List<RdbEntry> parts) {
        RdbEntry first = parts.get(0);
        List<String> items = new ArrayList<>();
        StreamMeta meta = null;
        List<StreamGroup> groups = List.of();
        for (RdbEntry e : parts) {
            switch (e.value()) {
                case RdbValue.StringValue v -> items.add(text(v.value()));
                case RdbValue.ListValue v -> v.elements().forEach(x -> items.add(text(x)));
                case RdbValue.SetValue v -> v.members().forEach(x -> items.add(text(x)));
                case RdbValue.SortedSetValue v -> v.members().forEach(m -> items.add(text(m.member()) + "=" + score(m.score())));
                case RdbValue.HashValue v -> v.fields().forEach(f -> items.add(text(f.field()) + "=" + text(f.value())
                        + (f.expireAtMs() >= 0 ? "@" + f.expireAtMs() : "")));
                case RdbValue.StreamValue v -> {
                    for (StreamEntry se : v.entries()) {
                        StringBuilder s = new StringBuilder(se.id().toString());
                        se.fieldsAndValues().forEach(x -> s.append(' ').append(text(x)));
                        items.add(s.toString());
                    }
                    if (e.last()) {
                        meta = v.meta();
                        groups = v.groups();
                    }
                }
                case RdbValue.ModuleValue v -> items.add(v.moduleName());
            }
        }
        String type = first.value().typeName();
        if (type.equals("set") || type.equals("hash") || type.equals("zset")) {
            items.sort(null);
        }
        return new Whole(first.db(), text(first.key()), type, items, first.expireAtMs(), parts, meta, groups);
    }

    static String score(double d) {
        if (d == (long) d && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
