package dev.cutover.replication;

import dev.cutover.endpoint.ConnectOptions;
import dev.cutover.endpoint.Endpoint;
import dev.cutover.endpoint.EndpointUri;
import dev.cutover.endpoint.RdbSupport;
import dev.cutover.resp.RespSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * scan mode, for sources that refuse SYNC/PSYNC: keyspace notifications are subscribed first,
 * then every db is copied with SCAN + DUMP/PTTL → RESTORE, and every key touched meanwhile is
 * copied again (or deleted) until the freeze. There are no offsets: the cutover gate is an
 * empty queue after a barrier on the event stream, and a passing verify.
 */
public final class ScanReplica implements LinkDriver {
    /** Where the servers are; {@code dbs} are the source's dbs holding keys at the start. */
    public record Settings(EndpointUri source, ConnectOptions sourceOptions, EndpointUri target,
                           ConnectOptions targetOptions, RdbSupport targetRdb, boolean targetRestores,
                           boolean sourceDumps, boolean sourceFieldTtls, Set<Integer> dbs, long expectedKeys,
                           int queueBound, StreamFeatures streams) {
    }

    private static final int BATCH = 256;

    private final Settings settings;
    private final Endpoint sourceEndpoint;
    private final List<ConfigChange> sourceChanges;
    private final PendingKeys pending;
    private final KeyspaceEvents events;
    private final Thread thread;
    private final Set<Integer> scannedDbs = new TreeSet<>();
    private volatile TargetWriter writer;
    private volatile KeyCopier copier;
    private volatile SyncProgress.Phase phase = SyncProgress.Phase.TRANSFER;
    private volatile boolean busy;
    private volatile boolean stopping;
    private volatile String problem = "";
    private volatile long scanned;

    private ScanReplica(Settings settings, Endpoint sourceEndpoint, List<ConfigChange> sourceChanges) {
        this.settings = settings;
        this.sourceEndpoint = sourceEndpoint;
        this.sourceChanges = List.copyOf(sourceChanges);
        this.pending = new PendingKeys(settings.queueBound());
        this.events = new KeyspaceEvents(settings.source(), settings.sourceOptions(), pending, this::knownDbs);
        this.thread = new Thread(this::run, "cutover-scan");
        thread.setDaemon(true);
    }

    /** Subscribes to the events (before anything is copied), then starts copying. */
    static ScanReplica start(Settings settings, Endpoint source, List<ConfigChange> sourceChanges) {
        ScanReplica replica = new ScanReplica(settings, source, sourceChanges);
        replica.events.start();
        replica.thread.start();
        return replica;
    }

    private Set<Integer> knownDbs() {
        Set<Integer> dbs = new TreeSet<>(settings.dbs());
        synchronized (scannedDbs) {
            dbs.addAll(scannedDbs);
        }
        dbs.addAll(pending.dbsSeen());
        return dbs;
    }

    private void run() {
        try (RespSocket src = RespSocket.open(settings.source(), settings.sourceOptions(), "cutover-scan")) {
            src.readTimeout(Duration.ofMinutes(2));
            writer = new TargetWriter(RespSocket.open(settings.target(), settings.targetOptions(), "cutover-scan"),
                    4096, 0);
            copier = new KeyCopier(src, writer, settings.targetRdb(), settings.targetRestores(),
                    settings.sourceDumps() ? null : new TypewiseReader(src, settings.sourceFieldTtls()),
                    settings.streams());
            for (int db : settings.dbs()) {
                scanDb(db);
            }
            phase = SyncProgress.Phase.STREAMING;
            while (!stopping) {
                busy = true;
                int db = pending.takeRescan();
                if (db >= 0) {
                    scanDb(db);
                    deleteVanished(db); // deletions made while events were lost are found only this way
                    busy = false;
                    continue;
                }
                List<PendingKeys.Key> batch = pending.take(BATCH);
                if (batch.isEmpty()) {
                    busy = false;
                    pending.awaitWork(100);
                    continue;
                }
                copyBatch(batch);
                awaitWrites();
                busy = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!stopping) {
                TargetWriter w = writer;
                problem = w != null && w.failure() != null ? w.failure() : "scan mode failed: " + e.getMessage();
            }
        } finally {
            busy = false;
            TargetWriter w = writer;
            if (w != null) {
                w.drain(Duration.ofSeconds(30));
                w.close();
            }
        }
    }

    private void scanDb(int db) {
        synchronized (scannedDbs) {
            scannedDbs.add(db);
        }
        String cursor = "0";
        do {
            if (stopping) {
                return;
            }
            long before = copier.copied() + copier.deleted();
            cursor = copier.scanStep(db, cursor, 1000);
            scanned += copier.copied() + copier.deleted() - before;
            writer.flush();
        } while (!cursor.equals("0"));
        awaitWrites();
    }

    /** Deletes from the target's {@code db} every key the source no longer has. */
    private void deleteVanished(int db) {
        try (RespSocket check = RespSocket.open(settings.target(), settings.targetOptions(), "cutover-scan-check")) {
            check.call("SELECT", Integer.toString(db));
            String cursor = "0";
            do {
                List<?> reply = (List<?>) check.call("SCAN", cursor, "COUNT", "1000");
                cursor = new String((byte[]) reply.get(0), java.nio.charset.StandardCharsets.US_ASCII);
                List<byte[]> keys = new ArrayList<>();
                for (Object k : (List<?>) reply.get(1)) {
                    keys.add((byte[]) k);
                }
                copier.deleteMissing(db, keys);
                writer.flush();
            } while (!cursor.equals("0") && !stopping);
        }
        awaitWrites();
    }

    private void copyBatch(List<PendingKeys.Key> batch) {
        Map<Integer, List<byte[]>> byDb = new LinkedHashMap<>();
        for (PendingKeys.Key k : batch) {
            byDb.computeIfAbsent(k.db(), d -> new ArrayList<>()).add(k.name());
        }
        byDb.forEach(copier::copy);
        writer.flush();
    }

    private void awaitWrites() {
        while (!writer.drain(Duration.ofSeconds(1))) {
            if (writer.failure() != null || stopping) {
                break;
            }
        }
        if (writer.failure() != null) {
            throw new IllegalStateException(writer.failure());
        }
    }

    /** Keys still to copy: queued, being copied, or whole dbs to rescan. */
    public long pendingKeys() {
        long unscanned = phase == SyncProgress.Phase.STREAMING ? 0 : Math.max(1, settings.expectedKeys() - scanned);
        return unscanned + pending.size() + (busy ? 1 : 0)
                + (long) pending.rescansWaiting() * Math.max(1, settings.expectedKeys());
    }

    public double oldestPendingSeconds() {
        return pending.oldestAgeSeconds();
    }

    /** scan mode's "lag": what is pending and why. */
    public String detail() {
        String scan = phase == SyncProgress.Phase.STREAMING ? "scan done"
                : "scan " + percent() + "% (" + scanned + " of ~" + settings.expectedKeys() + " keys)";
        return pending.size() + " key(s) pending (oldest " + String.format(java.util.Locale.ROOT, "%.1f",
                oldestPendingSeconds()) + "s), " + scan + ", " + events.events() + " events"
                + (pending.overflows() > 0 ? ", " + pending.overflows() + " queue overflow(s) rescanned" : "")
                + (events.drops() > 0 ? ", " + events.drops() + " subscription drop(s) rescanned" : "");
    }

    private int percent() {
        return settings.expectedKeys() <= 0 ? 0 : (int) Math.min(99, 100 * scanned / settings.expectedKeys());
    }

    @Override
    public long behind(long frozenOffset) {
        if (!thread.isAlive() || !problem.isEmpty()) {
            return Long.MAX_VALUE; // the copy stopped: nothing is proven
        }
        if (!events.barrier(Duration.ofSeconds(5))) {
            return Long.MAX_VALUE; // cannot prove every change was seen
        }
        return pendingKeys();
    }

    @Override
    public SyncProgress progress() {
        String link = events.subscribed() ? "up" : "down";
        return new SyncProgress(phase, 0, -1, 0, link, 0, 0, scanned, settings.expectedKeys());
    }

    @Override
    public long appliedOffset() {
        return 0;
    }

    @Override
    public String problem() {
        return problem;
    }

    public boolean alive() {
        return thread.isAlive();
    }

    public long keysCopied() {
        KeyCopier c = copier;
        return c == null ? 0 : c.copied();
    }

    public long keysDecoded() {
        KeyCopier c = copier;
        return c == null ? 0 : c.decoded();
    }

    @Override
    public String stop() {
        stopping = true;
        events.close();
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(40));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int i = sourceChanges.size() - 1; i >= 0; i--) {
            ConfigChange c = sourceChanges.get(i);
            sourceEndpoint.call("CONFIG", "SET", c.name(), c.previous());
        }
        return (sourceChanges.isEmpty() ? "" : "restored notify-keyspace-events on the source; ")
                + settings.streams().summary(0) + "scan mode copied "
                + keysCopied() + " key(s)" + (pendingKeys() > 0 ? ", " + pendingKeys() + " still pending at the stop" : "");
    }
}
