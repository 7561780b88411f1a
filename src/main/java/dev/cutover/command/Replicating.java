package dev.cutover.command;

import dev.cutover.Figures;
import dev.cutover.endpoint.Role;
import dev.cutover.endpoint.ServerInfo;
import dev.cutover.replication.CheckReport;
import dev.cutover.replication.ProgressListener;
import dev.cutover.replication.ReplicateOptions;
import dev.cutover.session.Session;

/** The one place that decides whether replicate may overwrite a target (command and script twin). */
public final class Replicating {
    private Replicating() {
    }

    public static CheckReport replicate(Session session, Console console, ReplicateOptions options, boolean yes,
                                        ProgressListener listener) {
        if (options.flushTarget()) {
            long keys = ServerInfo.parse(session.endpoint(Role.TARGET).info("keyspace")).totalKeys();
            if (keys > 0) {
                DangerousStep.confirm(session, console, yes, "replicate --flush-target", "The target holds "
                        + Figures.count(keys) + " keys and the full sync will replace everything on it.");
            }
        }
        return session.replicate(options, listener);
    }
}
