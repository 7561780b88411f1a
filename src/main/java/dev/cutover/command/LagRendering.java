package dev.cutover.command;

import dev.cutover.Figures;
import dev.cutover.replication.Lag;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** lag as text and data. */
final class LagRendering {
    private LagRendering() {
    }

    static String text(Lag lag) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "lag      %s bytes, %.1fs behind%n", Figures.count(lag.bytes()), lag.seconds()));
        sb.append("offsets  source ").append(lag.sourceOffset()).append(", target applied ").append(lag.targetOffset()).append('\n');
        sb.append("link     ").append(lag.link()).append(", state ").append(lag.state()).append('\n');
        sb.append("keys     source ").append(keys(lag.sourceKeys())).append("; target ").append(keys(lag.targetKeys()));
        if (lag.relaxed() && lag.fieldTtlKeys() > 0) {
            sb.append("\n! the source now holds ").append(lag.fieldTtlKeys()).append(" key(s) with hash-field TTLs:"
                    + " the relaxed native link streams on, but its next full sync will fail on the target");
        }
        if (!lag.detail().isEmpty()) {
            sb.append("\n").append(lag.detail());
        }
        if (!lag.lastError().isEmpty()) {
            sb.append("\nlast error  ").append(lag.lastError());
        }
        return sb.toString();
    }

    private static String keys(Map<String, Long> keys) {
        if (keys.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        keys.forEach((db, n) -> sb.append(sb.isEmpty() ? "" : " ").append(db).append('=').append(Figures.count(n)));
        return sb.toString();
    }

    static Map<String, Object> data(Lag lag) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bytes", lag.bytes());
        m.put("seconds", lag.seconds());
        m.put("sourceOffset", lag.sourceOffset());
        m.put("targetOffset", lag.targetOffset());
        m.put("state", lag.state());
        m.put("link", lag.link());
        m.put("sourceKeys", lag.sourceKeys());
        m.put("targetKeys", lag.targetKeys());
        m.put("fieldTtlKeys", lag.fieldTtlKeys());
        m.put("relaxed", lag.relaxed());
        m.put("lastError", lag.lastError());
        m.put("detail", lag.detail());
        return m;
    }
}
