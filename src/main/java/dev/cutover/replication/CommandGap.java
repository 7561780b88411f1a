package dev.cutover.replication;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The write commands the source has and the target lacks (from each side's COMMAND LIST and
 * the source's COMMAND INFO flags), and what happens if a client runs one during the migration:
 * natively the target cannot apply it, psync mode translates some (see {@link StreamTranslator})
 * and stops at the others with the command named, scan mode copies the key whole.
 */
final class CommandGap {
    /** What psync mode does with each command it knows a translation or a drop for. */
    private static final Map<String, String> PSYNC = Map.ofEntries(
            Map.entry("xdelex", "XDEL"),
            Map.entry("xackdel", "XACK + XDEL"),
            Map.entry("xcfgset", "dropped with --drop-stream-idempotency"),
            Map.entry("xidmprecord", "dropped with --drop-stream-idempotency"),
            Map.entry("hsetex", "HSET, its TTL dropped with --drop-field-ttl"),
            Map.entry("hgetdel", "HDEL"),
            Map.entry("hgetex", "dropped with --drop-field-ttl"),
            Map.entry("hexpire", "dropped with --drop-field-ttl"),
            Map.entry("hpexpire", "dropped with --drop-field-ttl"),
            Map.entry("hexpireat", "dropped with --drop-field-ttl"),
            Map.entry("hpexpireat", "dropped with --drop-field-ttl"),
            Map.entry("hpersist", "dropped with --drop-field-ttl"));

    private CommandGap() {
    }

    static CheckItem check(Endpoint source, Endpoint target) {
        List<String> missing;
        try {
            TreeSet<String> names = names(source.call("COMMAND", "LIST"));
            names.removeAll(names(target.call("COMMAND", "LIST")));
            missing = writes(source, names);
        } catch (CutoverException | ClassCastException e) {
            return CheckItem.warn("commands", "cannot compare the two servers' commands (" + e.getMessage() + ")",
                    "make sure clients use no command the target lacks during the migration");
        }
        return item(missing);
    }

    /** The line for {@code missing} (lower-case names of write commands the target lacks). */
    static CheckItem item(List<String> missing) {
        if (missing.isEmpty()) {
            return CheckItem.ok("commands", "the target has every write command the source has");
        }
        List<String> described = new ArrayList<>();
        for (String name : missing) {
            String psync = PSYNC.get(name);
            described.add(name.toUpperCase(Locale.ROOT) + " (psync: " + (psync == null ? "stops the link" : psync) + ")");
        }
        return CheckItem.warn("commands", "the source has " + missing.size() + " write command(s) the target lacks: "
                + String.join(", ", described), "natively the target cannot apply them; psync mode translates or"
                + " stops as listed, naming the key; scan mode copies the key whole: keep clients off the others");
    }

    private static TreeSet<String> names(Object reply) {
        TreeSet<String> names = new TreeSet<>();
        for (Object n : (List<?>) reply) {
            names.add(String.valueOf(n).toLowerCase(Locale.ROOT));
        }
        return names;
    }

    /** Of {@code names}, those the source's COMMAND INFO flags as writes. */
    private static List<String> writes(Endpoint source, TreeSet<String> names) {
        if (names.isEmpty()) {
            return List.of();
        }
        List<String> args = new ArrayList<>(List.of("COMMAND", "INFO"));
        args.addAll(names);
        List<String> out = new ArrayList<>();
        for (Object info : (List<?>) source.call(args)) {
            if (info instanceof List<?> l && l.size() > 2 && l.get(2) instanceof List<?> flags
                    && flags.stream().anyMatch(f -> "write".equalsIgnoreCase(String.valueOf(f)))) {
                out.add(String.valueOf(l.get(0)).toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }
}
