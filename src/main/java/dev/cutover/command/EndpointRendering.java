package dev.cutover.command;

import dev.cutover.Figures;
import dev.cutover.endpoint.CapabilityCheck;
import dev.cutover.endpoint.DbStats;
import dev.cutover.endpoint.EndpointSummary;
import dev.cutover.endpoint.ServerInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** How an endpoint's summary reads on a screen and in JSON. */
final class EndpointRendering {
    private EndpointRendering() {
    }

    static String text(EndpointSummary s) {
        ServerInfo info = s.info();
        StringBuilder sb = new StringBuilder();
        sb.append(s.role().label()).append(' ').append(s.uri()).append(" — ")
                .append(info.version()).append(", ").append(info.role()).append('\n');
        sb.append(row("keys", keys(info)));
        sb.append(row("memory", Figures.bytes(info.usedMemory()) + " used of "
                + (info.maxMemory() == 0 ? "no limit" : Figures.bytes(info.maxMemory()))
                + ", eviction " + info.evictionPolicy()));
        sb.append(row("persistence", "AOF " + (info.aofEnabled() ? "on" : "off")
                + (info.modules().isEmpty() ? "" : "; modules " + String.join(", ", info.modules()))));
        sb.append(row("rdb", "writes RDB " + s.rdb().written() + "; loads " + s.rdb().loadableText()));
        for (CapabilityCheck c : s.capabilities()) {
            sb.append(row(c.capability().display(), c.mark() + " — " + c.detail()));
        }
        return sb.toString().stripTrailing();
    }

    private static String row(String label, String value) {
        return String.format("  %-24s %s%n", label, value);
    }

    private static String keys(ServerInfo info) {
        if (info.keyspace().isEmpty()) {
            return "empty";
        }
        String perDb = info.keyspace().values().stream()
                .map(d -> "db" + d.db() + "=" + Figures.count(d.keys()))
                .collect(Collectors.joining(" "));
        return perDb + " (" + Figures.count(info.totalKeys()) + " in all)";
    }

    static Map<String, Object> data(EndpointSummary s) {
        ServerInfo info = s.info();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", s.role().label());
        m.put("uri", s.uri());
        m.put("kind", info.version().kind().display());
        m.put("version", info.version().major() + "." + info.version().minor() + "." + info.version().patch());
        m.put("replicationRole", info.role());
        Map<String, Object> keys = new LinkedHashMap<>();
        for (DbStats d : info.keyspace().values()) {
            keys.put("db" + d.db(), d.keys());
        }
        m.put("keys", keys);
        m.put("usedMemory", info.usedMemory());
        m.put("maxMemory", info.maxMemory());
        m.put("evictionPolicy", info.evictionPolicy());
        m.put("aof", info.aofEnabled());
        m.put("modules", info.modules());
        m.put("rdbWritten", s.rdb().written());
        m.put("rdbLoads", s.rdb().loadableText());
        Map<String, Object> caps = new LinkedHashMap<>();
        for (CapabilityCheck c : s.capabilities()) {
            caps.put(c.capability().name().toLowerCase(java.util.Locale.ROOT),
                    Map.of("status", c.mark(), "detail", c.detail()));
        }
        m.put("capabilities", caps);
        return m;
    }

    static List<Map<String, Object>> data(List<EndpointSummary> all) {
        return all.stream().map(EndpointRendering::data).toList();
    }
}
