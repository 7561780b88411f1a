package dev.cutover.command;

import dev.cutover.replication.Lag;
import dev.cutover.session.Session;
import dev.cutover.session.SessionState;
import dev.cutover.session.StopSummary;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one place that decides whether stop may go ahead (used by the command and the script twin). */
public final class Stopping {
    private Stopping() {
    }

    public static StopSummary stop(Session session, Console console, boolean yes, boolean demoteSource) {
        Lag lag;
        try {
            lag = session.lag();
        } catch (dev.cutover.CutoverException e) {
            lag = null; // the source may be down: that is when promoting the target matters most
            console.err().println("warning: lag is unknown (" + e.getMessage() + ")");
            console.err().flush();
        }
        SessionState state = session.state();
        StringBuilder warning = new StringBuilder();
        if (state instanceof SessionState.Repointed) {
            warning.append("Replication ends and the target becomes the primary.");
            warning.append(demoteSource ? " The old source will be demoted and unfrozen."
                    : " The old source stays frozen only while this session runs.");
        } else if (state instanceof SessionState.Frozen) {
            warning.append("Replication ends; clients have not been repointed yet.");
        } else {
            warning.append("Writes to the source are not frozen, so anything written from now on stays on the source.");
        }
        if (lag != null && lag.bytes() > 0) {
            warning.append(" The target is ").append(dev.cutover.Figures.count(lag.bytes()))
                    .append(" bytes behind: those writes would be missing.");
        }
        DangerousStep.confirm(session, console, yes, demoteSource ? "stop --demote-source" : "stop", warning.toString());
        return session.stop(demoteSource);
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
        m.put("sourceAfter", s.sourceAfter());
        m.put("link", s.link());
        return m;
    }
}
