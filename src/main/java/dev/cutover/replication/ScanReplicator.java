package dev.cutover.replication;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.Capability;
import dev.cutover.endpoint.CapabilityCheck;
import dev.cutover.endpoint.DbStats;
import dev.cutover.endpoint.Endpoint;
import dev.cutover.endpoint.EndpointSummary;
import dev.cutover.endpoint.ServerInfo;
import dev.cutover.endpoint.VersionFacts;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Starts scan mode: turns keyspace notifications on where needed (restored at stop), starts the
 * copy and waits until the first scan is done, showing keys copied of the source's key count.
 */
public final class ScanReplicator {
    static final int QUEUE_BOUND = 1_000_000;

    private ScanReplicator() {
    }

    public static ReplicationLink start(Endpoint source, EndpointSummary sourceSummary, Endpoint target,
                                        EndpointSummary targetSummary,
                                        ReplicateOptions options, ProgressListener listener, Clock clock) {
        List<ConfigChange> changes = new ArrayList<>();
        String current = notifyFlags(source);
        if (!coversWrites(current)) {
            String wanted = merged(current);
            try {
                source.call("CONFIG", "SET", "notify-keyspace-events", wanted);
                changes.add(new ConfigChange("notify-keyspace-events", current));
            } catch (CutoverException e) {
                throw CutoverException.precondition("scan mode needs the source's keyspace notifications (K and A),"
                        + " but notify-keyspace-events is '" + current + "' and CONFIG SET was refused ("
                        + e.getMessage() + "): ask for notify-keyspace-events KA on the source; nothing was changed");
            }
        }
        ServerInfo info = ServerInfo.parse(source.info("keyspace"));
        Set<Integer> dbs = new TreeSet<>();
        for (DbStats db : info.keyspace().values()) {
            if (db.keys() > 0) {
                dbs.add(db.db());
            }
        }
        if (options.flushTarget()) {
            target.call("FLUSHALL");
        }
        CapabilityCheck restore = targetSummary.capability(Capability.DUMP_RESTORE);
        ScanReplica.Settings settings = new ScanReplica.Settings(source.uri(), source.options(), target.uri(),
                target.options(), VersionFacts.rdb(target.serverInfo().version()),
                restore.status() != CapabilityCheck.Status.NO, !ScanPreflight.dumpRefused(sourceSummary),
                VersionFacts.hasHashFieldTtl(source.serverInfo().version()), dbs, info.totalKeys(), QUEUE_BOUND,
                StreamFeatures.of(target.serverInfo().version(), options.dropStreamIdempotency()));
        long startOffset = SyncProgress.number(source.infoFields("replication").get("master_repl_offset"));
        ScanReplica replica = ScanReplica.start(settings, source, changes);
        OffsetSampler sampler = new OffsetSampler(source, replica::progress, System::nanoTime);
        ReplicationLink link = new ReplicationLink(ReplicateOptions.Mode.SCAN, source.uri().address(), List.of(), false,
                clock.instant(), startOffset, sampler, replica);
        return LinkStart.finish(link, options, replica::alive, () -> "", listener);
    }

    static String notifyFlags(Endpoint source) {
        try {
            Object reply = source.call("CONFIG", "GET", "notify-keyspace-events");
            return reply instanceof List<?> l && l.size() >= 2 ? String.valueOf(l.get(1)) : "";
        } catch (CutoverException e) {
            throw CutoverException.precondition("scan mode needs the source's keyspace notifications, but cutover cannot"
                    + " read notify-keyspace-events (" + e.getMessage() + "): grant +config get/set, or ask for"
                    + " notify-keyspace-events KA on the source; nothing was changed");
        }
    }

    /** K (keyspace channel) and every write class: A, or g$lshzxetd one by one. */
    static boolean coversWrites(String flags) {
        if (flags.indexOf('K') < 0) {
            return false;
        }
        if (flags.indexOf('A') >= 0) {
            return true;
        }
        for (char c : "g$lshzxetd".toCharArray()) {
            if (flags.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    static String merged(String flags) {
        StringBuilder sb = new StringBuilder(flags);
        for (char c : "KA".toCharArray()) {
            if (flags.indexOf(c) < 0) {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
