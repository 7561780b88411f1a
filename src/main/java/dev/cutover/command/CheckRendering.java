package dev.cutover.command;

import dev.cutover.replication.CheckItem;
import dev.cutover.replication.CheckReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The checklist as text (✓ / ✗ / ! lines) and as data. */
public final class CheckRendering {
    private CheckRendering() {
    }

    static String text(CheckReport report) {
        StringBuilder sb = new StringBuilder();
        for (CheckItem item : report.items()) {
            sb.append(item.mark().symbol()).append(' ').append(String.format("%-18s", item.name())).append(' ')
                    .append(item.sentence());
            if (item.applies() != CheckItem.Applies.ALWAYS) {
                sb.append("  [").append(item.applies().name().toLowerCase(java.util.Locale.ROOT)).append(" mode]");
            }
            sb.append('\n');
        }
        String mode = report.chosenMode().name().toLowerCase(java.util.Locale.ROOT);
        sb.append(report.passed() ? "→ replicate would use " + mode + " mode: " + report.why()
                : "→ no mode passes: replicate would refuse (fix the ✗ lines of the mode you want)");
        return sb.toString().stripTrailing();
    }

    public static Map<String, Object> data(CheckReport report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("passed", report.passed());
        List<Map<String, Object>> items = report.items().stream().map(i -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("mark", i.mark().name().toLowerCase(java.util.Locale.ROOT));
            item.put("name", i.name());
            item.put("finding", i.finding());
            item.put("fix", i.fix());
            item.put("applies", i.applies().name().toLowerCase(java.util.Locale.ROOT));
            return item;
        }).toList();
        m.put("items", items);
        m.put("mode", report.chosenMode().name().toLowerCase(java.util.Locale.ROOT));
        m.put("why", report.why());
        m.put("nativeWayThere", report.wayThere().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
        m.put("nativeWayBack", report.wayBack().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
        return m;
    }
}
