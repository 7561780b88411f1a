package dev.cutover.command;

import dev.cutover.Figures;
import dev.cutover.verify.Difference;
import dev.cutover.verify.VerifyReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** verify's report as text and data (the data is also what the script twin returns). */
public final class VerifyRendering {
    private VerifyRendering() {
    }

    static String text(VerifyReport r) {
        StringBuilder sb = new StringBuilder();
        r.keyCounts().forEach((db, c) -> sb.append(c[0] == c[1] ? "✓ " : "✗ ").append(db).append("  source ")
                .append(Figures.count(c[0])).append(", target ").append(Figures.count(c[1])).append('\n'));
        sb.append(r.full() ? "compared every key: " : "compared a random sample: ").append(Figures.count(r.checked()))
                .append(" keys by type, TTL and value\n");
        for (Difference d : r.shown()) {
            sb.append("✗ ").append(d.kind().name().toLowerCase(Locale.ROOT)).append("  db").append(d.db()).append(' ')
                    .append(d.key()).append(": ").append(d.detail()).append('\n');
        }
        if (r.differences() > r.shown().size()) {
            sb.append("  … and ").append(r.differences() - r.shown().size()).append(" more: ").append(counts(r)).append('\n');
        }
        sb.append(r.equal() ? "✓ source and target are equal" : "✗ " + r.differences() + " difference(s): " + counts(r));
        if (!r.sourceFrozen()) {
            sb.append("\n! writes on the source are not frozen: keys written meanwhile can differ for a moment");
        }
        return sb.toString();
    }

    private static String counts(VerifyReport r) {
        StringBuilder sb = new StringBuilder();
        r.counts().forEach((k, n) -> {
            if (n > 0) {
                sb.append(sb.isEmpty() ? "" : ", ").append(n).append(' ').append(k.name().toLowerCase(Locale.ROOT));
            }
        });
        return sb.isEmpty() ? "key counts differ" : sb.toString();
    }

    public static Map<String, Object> data(VerifyReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("equal", r.equal());
        m.put("full", r.full());
        Map<String, Object> counts = new LinkedHashMap<>();
        r.keyCounts().forEach((db, c) -> counts.put(db, Map.of("source", c[0], "target", c[1])));
        m.put("keyCounts", counts);
        m.put("checked", r.checked());
        Map<String, Object> kinds = new LinkedHashMap<>();
        r.counts().forEach((k, n) -> kinds.put(k.name().toLowerCase(Locale.ROOT), n));
        m.put("differences", kinds);
        List<Map<String, Object>> shown = r.shown().stream().map(d -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("kind", d.kind().name().toLowerCase(Locale.ROOT));
            x.put("db", d.db());
            x.put("key", d.key());
            x.put("detail", d.detail());
            return x;
        }).toList();
        m.put("shown", shown);
        m.put("sourceFrozen", r.sourceFrozen());
        return m;
    }
}
