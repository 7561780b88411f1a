package dev.cutover.replication;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Rewrites the source's command stream for a target that lacks some of its commands: the stream
 * commands of Redis 8.2-8.6 (see {@link NewStreamCommands}), and hash-field TTLs (Redis 7.4+/8 and Valkey 9 have them; Redis 7.0 and Valkey 8.0 do not): a
 * TTL-only command is dropped when the operator accepted {@code --drop-field-ttl} and refused
 * otherwise; HSETEX becomes HSET; HGETDEL becomes HDEL. Nothing is ever skipped silently: a
 * drop is counted, a refusal stops the link with the command and key named.
 */
final class StreamTranslator {
    /** What to do with one command of the stream. */
    sealed interface Outcome permits Forward, Replace, Drop, Refuse {
    }

    record Forward() implements Outcome {
    }

    /** A feature the target lacks, whose commands the operator let go (counted per feature). */
    enum Feature {
        FIELD_TTL, STREAM_IDEMPOTENCY
    }

    /** {@code dropped}: what the replacement leaves out, or null if it is equivalent. */
    record Replace(List<List<byte[]>> commands, Feature dropped) implements Outcome {
        Replace(List<List<byte[]>> commands) {
            this(commands, null);
        }
    }

    /** Applied as nothing: the offset moves on, the count of dropped commands of that feature grows. */
    record Drop(String what, Feature feature) implements Outcome {
        Drop(String what) {
            this(what, Feature.FIELD_TTL);
        }
    }

    record Refuse(String reason) implements Outcome {
    }

    private static final Set<String> FIELD_TTL_ONLY = Set.of("HEXPIRE", "HPEXPIRE", "HEXPIREAT", "HPEXPIREAT",
            "HPERSIST");
    private static final Set<String> TTL_OPTIONS = Set.of("EX", "PX", "EXAT", "PXAT");
    private static final Set<String> CONDITIONS = Set.of("NX", "XX", "FNX", "FXX");
    private static final Outcome FORWARD = new Forward();

    private final boolean targetHasFieldTtl;
    private final boolean dropFieldTtl;
    private final StreamFeatures streams;

    /** For a target that has every stream command of the source. */
    StreamTranslator(boolean targetHasFieldTtl, boolean dropFieldTtl) {
        this(targetHasFieldTtl, dropFieldTtl, new StreamFeatures(true, true, false));
    }

    StreamTranslator(boolean targetHasFieldTtl, boolean dropFieldTtl, StreamFeatures streams) {
        this.targetHasFieldTtl = targetHasFieldTtl;
        this.dropFieldTtl = dropFieldTtl;
        this.streams = streams;
    }

    Outcome translate(List<byte[]> command) {
        String name = text(command.get(0)).toUpperCase(Locale.ROOT);
        if (name.startsWith("X") && command.size() >= 2) {
            Outcome stream = NewStreamCommands.translate(name, command, streams);
            if (stream != null) {
                return stream;
            }
        }
        if (name.equals("HGETDEL")) {
            return hgetdel(command);
        }
        if (targetHasFieldTtl) {
            return FORWARD;
        }
        if (FIELD_TTL_ONLY.contains(name)) {
            return dropFieldTtl ? new Drop(name) : refuse(name, command);
        }
        if (name.equals("HSETEX")) {
            return hsetex(command);
        }
        if (name.equals("HGETEX")) {
            return hgetex(command);
        }
        return FORWARD;
    }

    /** HGETDEL key FIELDS n f... deletes those fields: HDEL key f... on any server. */
    private Outcome hgetdel(List<byte[]> c) {
        int fields = indexOf(c, "FIELDS", 2);
        if (fields < 0 || fields + 1 >= c.size()) {
            return new Refuse("cannot read HGETDEL " + key(c) + " from the source's stream");
        }
        List<byte[]> hdel = new ArrayList<>();
        hdel.add(bytes("HDEL"));
        hdel.add(c.get(1));
        hdel.addAll(c.subList(fields + 2, c.size()));
        return new Replace(List.of(hdel));
    }

    /** HSETEX key [conditions] [EX|PX|EXAT|PXAT n | KEEPTTL] FIELDS n f v ... → HSET key f v ... */
    private Outcome hsetex(List<byte[]> c) {
        int fields = indexOf(c, "FIELDS", 2);
        if (fields < 0 || fields + 1 >= c.size()) {
            return new Refuse("cannot read HSETEX " + key(c) + " from the source's stream");
        }
        boolean ttl = false;
        for (int i = 2; i < fields; i++) {
            String option = text(c.get(i)).toUpperCase(Locale.ROOT);
            if (CONDITIONS.contains(option)) {
                return new Refuse("HSETEX " + key(c) + " with " + option + " has no equivalent on the target;"
                        + " it lacks hash-field TTLs");
            }
            ttl |= TTL_OPTIONS.contains(option);
        }
        if (ttl && !dropFieldTtl) {
            return refuse("HSETEX", c);
        }
        List<byte[]> hset = new ArrayList<>();
        hset.add(bytes("HSET"));
        hset.add(c.get(1));
        hset.addAll(c.subList(fields + 2, c.size()));
        return new Replace(List.of(hset), ttl ? Feature.FIELD_TTL : null);
    }

    /** HGETEX only writes through its TTL options, which the target cannot hold. */
    private Outcome hgetex(List<byte[]> c) {
        return dropFieldTtl ? new Drop("HGETEX") : refuse("HGETEX", c);
    }

    private static Outcome refuse(String name, List<byte[]> c) {
        return new Refuse(name + " " + key(c) + " sets a hash-field TTL, which the target cannot hold: stop, then"
                + " replicate again with --drop-field-ttl to move the fields without their TTLs");
    }

    private static int indexOf(List<byte[]> c, String word, int from) {
        for (int i = from; i < c.size(); i++) {
            if (text(c.get(i)).equalsIgnoreCase(word)) {
                return i;
            }
        }
        return -1;
    }

    private static String key(List<byte[]> c) {
        if (c.size() < 2) {
            return "";
        }
        String key = text(c.get(1));
        return "'" + (key.length() > 60 ? key.substring(0, 60) + "…" : key) + "'";
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
