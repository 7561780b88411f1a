package dev.cutover.endpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** What INFO says about a server, parsed into the figures cutover uses. */
public record ServerInfo(ServerVersion version, String role, SortedMap<Integer, DbStats> keyspace,
                         long usedMemory, long maxMemory, String evictionPolicy, boolean aofEnabled,
                         List<String> modules, long replicationOffset, Map<String, String> raw) {

    public static ServerInfo parse(String infoText) {
        Map<String, String> raw = parseFields(infoText);
        ServerKind kind = "valkey".equalsIgnoreCase(raw.get("server_name")) || raw.containsKey("valkey_version")
                ? ServerKind.VALKEY : ServerKind.REDIS;
        String versionText = kind == ServerKind.VALKEY
                ? raw.getOrDefault("valkey_version", raw.get("redis_version")) : raw.get("redis_version");
        ServerVersion version = ServerVersion.parse(kind, versionText);
        String role = switch (raw.getOrDefault("role", "master")) {
            case "slave", "replica" -> "replica";
            default -> "primary";
        };
        SortedMap<Integer, DbStats> keyspace = new TreeMap<>();
        List<String> modules = new ArrayList<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String key = e.getKey();
            if (key.matches("db\\d+")) {
                Map<String, String> f = parseCommaPairs(e.getValue());
                int db = Integer.parseInt(key.substring(2));
                keyspace.put(db, new DbStats(db, number(f.get("keys")), number(f.get("expires")),
                        // Redis 7.4+ says subexpiry, Valkey 9 keys_with_volatile_items (measured)
                        number(f.getOrDefault("subexpiry", f.get("keys_with_volatile_items")))));
            } else if (key.equals("module") || key.startsWith("module:")) {
                modules.add(parseCommaPairs(e.getValue()).getOrDefault("name", e.getValue()));
            }
        }
        return new ServerInfo(version, role, keyspace, number(raw.get("used_memory")),
                number(raw.get("maxmemory")), raw.getOrDefault("maxmemory_policy", "unknown"),
                "1".equals(raw.get("aof_enabled")), List.copyOf(modules),
                number(raw.get("master_repl_offset")), Map.copyOf(raw));
    }

    public long totalKeys() {
        return keyspace.values().stream().mapToLong(DbStats::keys).sum();
    }

    public long totalSubexpiry() {
        return keyspace.values().stream().mapToLong(DbStats::subexpiry).sum();
    }

    /** INFO's "key:value" lines; "# Section" headers and blanks are skipped. Module lines keep order. */
    public static Map<String, String> parseFields(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        int moduleIndex = 0;
        for (String line : text.split("\r?\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = line.substring(0, colon);
            if (key.equals("module")) {
                key = "module:" + moduleIndex++;
            }
            fields.put(key, line.substring(colon + 1).strip());
        }
        return fields;
    }

    private static Map<String, String> parseCommaPairs(String value) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String part : value.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                pairs.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return pairs;
    }

    private static long number(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
