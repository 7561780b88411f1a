package dev.cutover.endpoint;

import dev.cutover.CutoverException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a command sent as is ({@code source.call(…)}) may change the server, judged from the
 * server's own COMMAND INFO: flagged write, admin, may_replicate or pubsub; container commands
 * (CONFIG, CLIENT, ACL …) by their subcommand; a command whose flags cannot be read counts as a
 * change. A rehearsal only describes such commands, and with approvals on they wait for one.
 */
public final class CommandEffect {
    /** Subcommands flagged admin that only read. */
    private static final Set<String> ADMIN_READS = Set.of("config|get", "client|list", "client|info",
            "client|getname", "acl|whoami", "acl|list", "acl|getuser", "acl|dryrun", "acl|cat", "slowlog|get",
            "slowlog|len", "latency|latest", "latency|history", "command|info", "command|count", "command|docs",
            "debug|digest", "debug|digest-value", "memory|usage", "memory|stats", "object|encoding", "object|freq");
    private static final Set<String> CHANGING = Set.of("write", "admin", "may_replicate", "pubsub");

    private CommandEffect() {
    }

    public static boolean changesServer(Endpoint endpoint, List<String> args) {
        if (args.isEmpty()) {
            return false;
        }
        String sub = args.size() > 1 ? (args.get(0) + "|" + args.get(1)).toLowerCase(Locale.ROOT) : "";
        if (ADMIN_READS.contains(sub)) {
            return false;
        }
        List<?> flags = args.size() > 1 ? flags(endpoint, sub) : null;
        if (flags == null || flags.isEmpty()) {
            flags = flags(endpoint, args.getFirst());
        }
        return flags == null || flags.isEmpty() || flags.stream().map(String::valueOf).anyMatch(CHANGING::contains);
    }

    private static List<?> flags(Endpoint endpoint, String name) {
        try {
            Object info = endpoint.call("COMMAND", "INFO", name.toLowerCase(Locale.ROOT));
            List<?> entry = info instanceof List<?> l && !l.isEmpty() && l.getFirst() instanceof List<?> e ? e : null;
            return entry != null && entry.size() > 2 && entry.get(2) instanceof List<?> f ? f : null;
        } catch (CutoverException e) {
            return null;
        }
    }
}
