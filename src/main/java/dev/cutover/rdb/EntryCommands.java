package dev.cutover.rdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an entry (one part of a key) into the ordinary commands that rebuild it, for targets
 * that cannot RESTORE its payload. Command shapes work on Redis 7.0 and later; HPEXPIREAT is
 * only emitted for fields that have a TTL.
 *
 * <p>What commands cannot carry: a stream consumer's seen and active times (the target sets
 * them to now), and pending entries whose stream entry was deleted (XCLAIM skips those).
 */
public final class EntryCommands {
    private EntryCommands() {
    }

    /**
     * The commands for {@code e}: on the first part {@code DEL key} and the start of the value,
     * on later parts more of it, on the last part the stream's ids and groups and {@code PEXPIREAT}.
     *
     * @param maxArgsPerCommand how many arguments after the key one command may carry (at least 2)
     * @throws IllegalArgumentException for a module value, which only its payload can move
     */
    public static List<List<byte[]>> of(RdbEntry e, int maxArgsPerCommand) {
        if (maxArgsPerCommand < 2) {
            throw new IllegalArgumentException("maxArgsPerCommand must be at least 2, not " + maxArgsPerCommand);
        }
        List<List<byte[]>> out = new ArrayList<>();
        byte[] key = e.key();
        if (e.first()) {
            out.add(cmd("DEL", key));
        }
        switch (e.value()) {
            case RdbValue.StringValue v -> out.add(cmd("SET", key, v.value()));
            case RdbValue.ListValue v -> chunked(out, "RPUSH", key, v.elements(), maxArgsPerCommand);
            case RdbValue.SetValue v -> chunked(out, "SADD", key, v.members(), maxArgsPerCommand);
            case RdbValue.SortedSetValue v -> {
                List<byte[]> args = new ArrayList<>(v.members().size() * 2);
                for (ScoredMember m : v.members()) {
                    args.add(ascii(score(m.score())));
                    args.add(m.member());
                }
                chunked(out, "ZADD", key, args, even(maxArgsPerCommand));
            }
            case RdbValue.HashValue v -> hash(out, key, v.fields(), maxArgsPerCommand);
            case RdbValue.StreamValue v -> Streams.commands(out, e, v);
            case RdbValue.ModuleValue v -> throw new IllegalArgumentException("key \"" + e.keyText()
                    + "\" holds a value of module \"" + v.moduleName() + "\", which only RESTORE of its payload can"
                    + " move, to a target that has the module loaded");
        }
        if (e.last() && e.expireAtMs() >= 0) {
            out.add(cmd("PEXPIREAT", key, ascii(Long.toString(e.expireAtMs()))));
        }
        return out;
    }

    private static void hash(List<List<byte[]>> out, byte[] key, List<HashField> fields, int max) {
        List<byte[]> args = new ArrayList<>(fields.size() * 2);
        Map<Long, List<byte[]>> byExpiry = new LinkedHashMap<>();
        for (HashField f : fields) {
            args.add(f.field());
            args.add(f.value());
            if (f.expireAtMs() >= 0) {
                byExpiry.computeIfAbsent(f.expireAtMs(), k -> new ArrayList<>()).add(f.field());
            }
        }
        chunked(out, "HSET", key, args, even(max));
        int perCommand = Math.max(1, max - 3);
        byExpiry.forEach((ms, names) -> {
            for (int i = 0; i < names.size(); i += perCommand) {
                List<byte[]> some = names.subList(i, Math.min(names.size(), i + perCommand));
                List<byte[]> c = cmd("HPEXPIREAT", key, ascii(Long.toString(ms)), ascii("FIELDS"),
                        ascii(Integer.toString(some.size())));
                c.addAll(some);
                out.add(c);
            }
        });
    }

    static void chunked(List<List<byte[]>> out, String name, byte[] key, List<byte[]> args, int max) {
        for (int i = 0; i < args.size(); i += max) {
            List<byte[]> c = cmd(name, key);
            c.addAll(args.subList(i, Math.min(args.size(), i + max)));
            out.add(c);
        }
    }

    private static int even(int max) {
        return max - max % 2;
    }

    /** A score as ZADD reads it back exactly: shortest round-trip decimal, or +inf / -inf. */
    static String score(double d) {
        if (d == Double.POSITIVE_INFINITY) {
            return "+inf";
        }
        if (d == Double.NEGATIVE_INFINITY) {
            return "-inf";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e17) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    static List<byte[]> cmd(String name, byte[] key, byte[]... args) {
        List<byte[]> c = new ArrayList<>(2 + args.length);
        c.add(ascii(name));
        c.add(key);
        c.addAll(List.of(args));
        return c;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
