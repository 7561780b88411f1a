package dev.cutover.command;

import dev.cutover.replication.Lag;
import dev.cutover.session.Session;
import dev.cutover.session.StopSummary;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one place that decides whether stop may go ahead (used by the command and the script twin). */
public final class Stopping {
    private Stopping() {
    }

    public static StopSummary stop(Session session, Console console, boolean yes) {
        Lag lag = session.lag();
        StringBuilder warning = new StringBuilder("Writes to the source are not frozen, so anything written from now"
                + " on stays on the source.");
        if (lag.bytes() > 0) {
            warning.append(" The target is ").append(dev.cutover.Figures.count(lag.bytes()))
                    .append(" bytes behind: those writes would be missing.");
        }
        DangerousStep.confirm(console, yes, "stop", warning.toString());
        return session.stop();
    }

    /** The summary as data, for --json and the script twin. */
    public static Map<String, Object> data(StopSummary s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("syncingMs", s.syncing().toMillis());
        m.put("streamingMs", s.streaming().toMillis());
        m.put("bytesStreamed", s.bytesStreamed());
        m.put("targetKeys", s.targetKeys());
        m.put("restoredConfigs", s.restoredConfigs());
        m.put("lagBytesAtStop", s.lagBytesAtStop());
        return m;
    }
}
