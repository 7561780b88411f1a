package dev.cutover.command;

import dev.cutover.CutoverException;
import dev.cutover.Figures;
import dev.cutover.freeze.FreezeReport;
import dev.cutover.route.RepointOutcome;
import dev.cutover.route.RepointVia;
import dev.cutover.session.Session;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The dangerous-step decisions and renderings for freeze, unfreeze and repoint (commands and script twins). */
public final class Freezing {
    private Freezing() {
    }

    public static FreezeReport freeze(Session session, Console console, String via, Duration max, Duration lease,
                                      Duration catchUp, boolean yes) {
        if (!via.equals("server") && !via.equals("proxy")) {
            throw CutoverException.usage("unknown --via '" + via + "': use server (CLIENT PAUSE WRITE) or proxy");
        }
        DangerousStep.confirm(session, console, yes, "freeze-writes", "Writes " + (via.equals("proxy")
                ? "through the proxy" : "on the source") + " will wait (up to " + Durations.format(max) + "); reads go on.");
        return session.freezeWrites(max, lease, catchUp, via.equals("proxy"));
    }

    public static String text(FreezeReport r) {
        String caughtUp = r.caughtUpIn() != null
                ? "target caught up in " + r.caughtUpIn().toMillis() + " ms"
                : r.behindBytes() > 0 ? "target still " + Figures.count(r.behindBytes()) + " bytes behind: wait-lag, then repoint"
                : "no replication is running, so nothing catches up";
        if (r.lease().isZero()) {
            return "writes held in the proxy, source frozen at offset " + r.frozenOffset() + "; " + caughtUp
                    + " (at most " + Durations.format(r.max()) + ", then the proxy sends them to the source by itself)";
        }
        return "frozen at offset " + r.frozenOffset() + "; " + caughtUp + " (lease " + Durations.format(r.lease())
                + ", at most " + Durations.format(r.max()) + "; writes resume by themselves if this shell dies)";
    }

    public static Map<String, Object> data(FreezeReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("frozenOffset", r.frozenOffset());
        m.put("caughtUpMs", r.caughtUpIn() == null ? null : r.caughtUpIn().toMillis());
        m.put("behindBytes", r.behindBytes());
        m.put("leaseMs", r.lease().toMillis());
        m.put("maxMs", r.max().toMillis());
        return m;
    }

    public static Duration unfreeze(Session session, Console console, boolean force, boolean yes) {
        DangerousStep.confirm(session, console, yes, force ? "unfreeze --force" : "unfreeze",
                force ? "Clients were repointed: writes to the old source will succeed again and be lost to the target."
                        : "Writes on the source resume.");
        return session.unfreeze(force);
    }

    public static RepointOutcome repoint(Session session, Console console, RepointVia via, boolean force, boolean yes) {
        DangerousStep.confirm(session, console, yes, force ? "repoint --force" : "repoint",
                force ? "--force skips the zero-lag check: writes not yet on the target would be lost."
                        : "Clients move to the target.");
        if (force && !session.isDryRun()) {
            console.err().println("warning: repoint --force: the freeze and zero-lag checks are skipped; this is journaled");
            console.err().flush();
        }
        return session.repoint(via, force);
    }
}
