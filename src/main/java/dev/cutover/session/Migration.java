package dev.cutover.session;

import dev.cutover.CutoverException;
import dev.cutover.Figures;
import dev.cutover.endpoint.ServerInfo;
import dev.cutover.freeze.FreezeLease;
import dev.cutover.freeze.FreezeReport;
import dev.cutover.route.ExecRepoint;
import dev.cutover.route.HaproxyRepoint;
import dev.cutover.route.RepointOutcome;
import dev.cutover.route.RepointVia;
import dev.cutover.replication.CheckItem;
import dev.cutover.replication.CheckReport;
import dev.cutover.replication.ConfigChange;
import dev.cutover.replication.Lag;
import dev.cutover.replication.NativePrediction;
import dev.cutover.replication.NativeReplicator;
import dev.cutover.replication.Preflight;
import dev.cutover.replication.ProgressListener;
import dev.cutover.replication.PsyncReplicator;
import dev.cutover.replication.ReplicateOptions;
import dev.cutover.replication.OffsetSampler;
import dev.cutover.replication.ReplicationLink;
import dev.cutover.replication.SyncProgress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.stream.Collectors;
import dev.cutover.endpoint.Endpoint;
import dev.cutover.endpoint.EndpointSummary;
import dev.cutover.endpoint.Role;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One migration: its endpoints, its state and its journal. Every primitive lives here once;
 * the shell's commands and the JavaScript API both call these methods.
 */
/**
 * The migration's lifecycle on the connected pair: the replication link, the freeze, the repoint
 * and the demotion, and the state they put the session in. The session owns one and delegates.
 */
final class Migration implements ProxyCutover.Host {
    /** What the migration needs from the session's endpoints. */
    interface Endpoints {
        Endpoint endpoint(Role role);

        /** Reads the endpoint afresh (INFO, capabilities) and remembers the summary. */
        EndpointSummary probe(Role role);

        /** A second connection of its own to the endpoint (the freeze's MULTI must not interleave). */
        Endpoint dedicated(Role role);

        SessionState state();

        /** Where links keep files that outlive the shell (psync checkpoints). */
        java.nio.file.Path stateDir();

        /** The cutover proxy this session drives, if any. */
        Optional<ProxyLink> proxy();
    }


    private final Endpoints endpoints;
    private final Clock clock;
    private Instant lastPassingVerify;
    private Instant frozenAt = Instant.MAX;
    private ReplicationLink link;
    /** psync in reverse after a stop --demote-source: the old source follows the new primary through this shell. */
    private ReplicationLink reverse;
    private Instant streamingSince;
    private boolean stopped;
    private FreezeLease freeze;
    private final ProxyCutover viaProxy;
    private boolean repointed;

    Migration(Endpoints endpoints, Clock clock) {
        this.endpoints = endpoints;
        this.clock = clock;
        this.viaProxy = new ProxyCutover(this, clock);
    }

    synchronized SessionState state(boolean anyEndpoint) {
        if (repointed) {
            return new SessionState.Repointed();
        }
        if (freeze != null && !freeze.expired()) {
            return new SessionState.Frozen(freeze.remaining().toSeconds());
        }
        Optional<Long> held = viaProxy.remainingSeconds();
        if (held.isPresent() && !repointed) {
            return new SessionState.Frozen(held.get());
        }
        if (link != null) {
            String problem = link.driver().problem();
            if (!problem.isEmpty()) {
                return new SessionState.Broken(shortReason(problem));
            }
            if (!link.sampler().lastError().isEmpty()) {
                return new SessionState.Broken("sampler: " + shortReason(link.sampler().lastError()));
            }
            SyncProgress p = link.sampler().progress();
            if (p == null) {
                return new SessionState.Syncing(0);
            }
            if (p.phase() == SyncProgress.Phase.STREAMING) {
                return new SessionState.Streaming();
            }
            if (p.phase() == SyncProgress.Phase.CONNECTING && streamingSince != null) {
                return new SessionState.Broken("link down");
            }
            return new SessionState.Syncing(p.percent());
        }
        if (reverse != null && !reverse.driver().problem().isEmpty()) {
            return new SessionState.Broken("reverse link: " + shortReason(reverse.driver().problem()));
        }
        if (stopped) {
            return new SessionState.Stopped();
        }
        return anyEndpoint ? new SessionState.Connected() : new SessionState.Idle();
    }

    private static String shortReason(String message) {
        return message.length() > 40 ? message.substring(0, 40) + "…" : message;
    }

    @Override
    public synchronized Optional<ReplicationLink> link() {
        return Optional.ofNullable(link);
    }

    private Endpoint endpoint(Role role) {
        return endpoints.endpoint(role);
    }

    private SessionState state() {
        return endpoints.state();
    }

    /** {@code check}: the pre-flight checklist for the connected pair; changes nothing. */
    public CheckReport check(boolean flushTarget) {
        return check(flushTarget, ReplicateOptions.Mode.AUTO, false, false);
    }

    CheckReport check(ReplicateOptions options) {
        return check(new Preflight.Request(options.flushTarget(), options.mode(), options.resume(),
                options.dropFieldTtl(), options.dropStreamIdempotency()));
    }

    private CheckReport check(boolean flushTarget, ReplicateOptions.Mode mode, boolean resume, boolean dropFieldTtl) {
        return check(new Preflight.Request(flushTarget, mode, resume, dropFieldTtl));
    }

    private CheckReport check(Preflight.Request request) {
        Endpoint source = endpoint(Role.SOURCE);
        Endpoint target = endpoint(Role.TARGET);
        return Preflight.run(source, endpoints.probe(Role.SOURCE), target, endpoints.probe(Role.TARGET), request);
    }

    /**
     * {@code replicate}: runs the check, refuses on any ✗, then starts the link in the mode the
     * pair allows. Returns the check it ran (so the caller can show its warnings).
     */
    public CheckReport replicate(ReplicateOptions options, ProgressListener listener) {
        synchronized (this) {
            if (link != null) {
                throw CutoverException.precondition("replication is already running (" + state().label()
                        + "): run 'stop' before starting it again");
            }
        }
        CheckReport report = check(options);
        if (!report.passed()) {
            throw CutoverException.precondition("check failed, nothing was changed: "
                    + report.failures().stream().map(CheckItem::sentence).collect(Collectors.joining("; ")));
        }
        ReplicateOptions.Mode mode = report.chosenMode();
        ReplicationLink started = switch (mode) {
            case PSYNC -> PsyncReplicator.start(endpoint(Role.SOURCE), endpoint(Role.TARGET), options,
                    endpoints.stateDir(), listener, clock);
            case SCAN -> dev.cutover.replication.ScanReplicator.start(endpoint(Role.SOURCE), endpoints.probe(Role.SOURCE),
                    endpoint(Role.TARGET), endpoints.probe(Role.TARGET), options, listener, clock);
            default -> new NativeReplicator(endpoint(Role.SOURCE), endpoint(Role.TARGET), clock)
                    .start(options, report.wayThere() instanceof NativePrediction.NeedsRelaxed, listener);
        };
        synchronized (this) {
            link = started;
            stopped = false;
            streamingSince = null;
        }
        started.sampler().sample();
        if (started.sampler().progress() != null && started.sampler().progress().phase() == SyncProgress.Phase.STREAMING) {
            synchronized (this) {
                streamingSince = clock.instant();
            }
        }
        return report;
    }

    private synchronized ReplicationLink requireLink() {
        if (link == null) {
            throw CutoverException.precondition(stopped ? "replication was stopped: run 'replicate' to start it again"
                    : "no replication is running: run 'replicate' first");
        }
        return link;
    }

    /** {@code lag}: bytes and seconds behind, keys on both sides, link state, last error. */
    public Lag lag() {
        ReplicationLink current = requireLink();
        Endpoint source = endpoint(Role.SOURCE);
        Endpoint target = endpoint(Role.TARGET);
        long sourceOffset = current.sampler().sample();
        ServerInfo src = ServerInfo.parse(source.info("keyspace"));
        ServerInfo tgt = ServerInfo.parse(target.info("keyspace"));
        if (current.driver() instanceof dev.cutover.replication.ScanReplica scan) {
            String problem = scan.problem();
            return new Lag(scan.pendingKeys(), scan.oldestPendingSeconds(), 0, 0, state().label(),
                    scan.progress().linkStatus(), keys(src), keys(tgt), src.totalSubexpiry(), false,
                    problem.isEmpty() ? current.sampler().lastError() : problem, "scan mode: 'bytes' counts keys to copy; "
                    + scan.detail());
        }
        long targetOffset = current.driver().appliedOffset();
        SyncProgress progress = current.sampler().progress();
        boolean streaming = progress.phase() == SyncProgress.Phase.STREAMING;
        if (streaming) {
            synchronized (this) {
                if (streamingSince == null) {
                    streamingSince = clock.instant();
                }
            }
        }
        long bytes = streaming ? Math.max(0, sourceOffset - targetOffset) : Math.max(0, sourceOffset - current.startOffset());
        double seconds = bytes == 0 ? 0 : current.sampler().secondsBehind(streaming ? targetOffset : current.startOffset());
        String problem = current.driver().problem();
        return new Lag(bytes, seconds, sourceOffset, targetOffset, state().label(), progress.linkStatus(),
                keys(src), keys(tgt), src.totalSubexpiry(), current.relaxed(),
                problem.isEmpty() ? current.sampler().lastError() : problem, "");
    }

    private static Map<String, Long> keys(ServerInfo info) {
        Map<String, Long> keys = new LinkedHashMap<>();
        info.keyspace().values().forEach(d -> keys.put("db" + d.db(), d.keys()));
        return keys;
    }

    /** {@code wait-lag}: returns when at most {@code maxBytes} behind, or fails with exit 3. */
    public Lag waitLag(long maxBytes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Lag lag = lag();
            if (lag.link().equals("up") && lag.bytes() <= maxBytes) {
                return lag;
            }
            if (System.nanoTime() >= deadline) {
                throw CutoverException.precondition("the target did not catch up within " + timeout.toSeconds()
                        + "s: still " + Figures.count(lag.bytes()) + " bytes (" + String.format(java.util.Locale.ROOT,
                        "%.1f", lag.seconds()) + "s) behind, link " + lag.link() + ", state " + lag.state());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CutoverException.Interrupted("wait-lag interrupted; replication goes on (" + lag.state() + ")");
            }
        }
    }

    /**
     * {@code stop}: ends replication ({@code REPLICAOF NO ONE}), restores the target's configs and
     * says what happened. The caller has already warned and asked where lag was not zero.
     */
    public StopSummary stop(boolean demoteSource) {
        ReplicationLink current = requireLink();
        synchronized (this) {
            if (demoteSource && !repointed) {
                throw CutoverException.precondition("--demote-source is for after a repoint: clients still use the source");
            }
            if (!demoteSource && repointed) {
                throw CutoverException.precondition("clients were repointed: end with 'stop --demote-source', so the old"
                        + " source never takes writes again (a plain stop would leave it to reopen)");
            }
        }
        Lag last;
        try {
            last = lag();
        } catch (CutoverException e) {
            last = null;
        }
        current.sampler().close();
        String linkNote;
        if (!demoteSource && current.driver() instanceof dev.cutover.replication.PsyncReplica fed
                && fed.feedsAnOldSource()) {
            fed.detach();
            linkNote = "the old source stays a read-only replica of this shell, now disconnected: it takes no writes"
                    + " until you run REPLICAOF NO ONE on it yourself";
        } else {
            linkNote = current.driver().stop();
        }
        String sourceAfter = demoteSource ? demoteSource(current.mode()) : sourceAfterStop();
        Instant now = clock.instant();
        Instant streamStart;
        synchronized (this) {
            streamStart = streamingSince;
            link = null;
            stopped = true;
            streamingSince = null;
        }
        Duration syncing = Duration.between(current.started(), streamStart != null ? streamStart : now);
        Duration streaming = streamStart != null ? Duration.between(streamStart, now) : Duration.ZERO;
        Map<String, Long> targetKeys = keys(ServerInfo.parse(endpoint(Role.TARGET).info("keyspace")));
        long streamed = last == null ? 0 : Math.max(0, last.sourceOffset() - current.startOffset());
        return new StopSummary(syncing, streaming, streamed, targetKeys,
                current.targetChanges().stream().map(ConfigChange::name).toList(),
                last == null ? -1 : last.bytes(), freeze != null, sourceAfter, linkNote);
    }

    private synchronized String sourceAfterStop() {
        if (repointed) {
            return "the source stays frozen by this session (clients were repointed): run 'stop --demote-source'"
                    + " before leaving, or its writes reopen within " + freeze.lease().toSeconds() + "s";
        }
        return freeze != null ? "the source is still frozen: unfreeze when you are done" : "the source is unchanged";
    }

    /**
     * After a repoint: the old source must never take writes silently again. Where the pair has a
     * native way back it becomes a replica of the target (stray writes get READONLY, and it keeps
     * a current copy for a rollback); otherwise it refuses writes with NOREPLICAS. Then unpaused.
     */
    private String demoteSource(ReplicateOptions.Mode mode) {
        String result;
        if (mode == ReplicateOptions.Mode.PSYNC && !Demotion.hasNativeWayBack(endpoint(Role.SOURCE), endpoint(Role.TARGET))) {
            ReplicationLink back = null;
            String why = "";
            try {
                back = dev.cutover.replication.ReverseLink.start(endpoint(Role.TARGET), endpoint(Role.SOURCE));
            } catch (CutoverException e) {
                why = e.getMessage();
            }
            if (back != null) {
                synchronized (this) {
                    reverse = back;
                }
                result = "the old source now replicates this shell, which feeds it the target's writes (psync in"
                        + " reverse, no native way back): it stays current and read-only (READONLY for stray writes)."
                        + " Keep this shell running; 'rollback' carries the clients back";
            } else {
                result = Demotion.demote(endpoint(Role.SOURCE), endpoint(Role.TARGET)) + "; the psync way back did not"
                        + " start: " + why;
            }
        } else {
            result = Demotion.demote(endpoint(Role.SOURCE), endpoint(Role.TARGET));
        }
        FreezeLease held;
        synchronized (this) {
            held = freeze;
            freeze = null;
            repointed = false;
        }
        if (held != null) {
            held.release();
            held.close();
        }
        return result;
    }


    /**
     * {@code freeze-writes}: pauses writes on the source (renewed lease, bounded by {@code max}),
     * captures the offset at that instant and waits up to {@code catchUp} for the target to apply it.
     */
    public FreezeReport freezeWrites(Duration max, Duration lease, Duration catchUp) {
        Endpoint source = endpoint(Role.SOURCE);
        synchronized (this) {
            if (freeze != null && !freeze.expired()) {
                throw CutoverException.precondition("writes are already frozen (" + state().label() + ")");
            }
            if (freeze != null) {
                freeze.close();
                freeze = null;
            }
        }
        if (!dev.cutover.endpoint.VersionFacts.hasClientPauseWrite(source.serverInfo().version())) {
            throw CutoverException.precondition("the source (" + source.serverInfo().version() + ") has no CLIENT PAUSE"
                    + " WRITE (Redis 6.2+): freeze through the proxy instead (--via proxy), or hold writes in the apps");
        }
        Endpoint control = endpoints.dedicated(Role.SOURCE);
        FreezeLease started;
        try {
            started = FreezeLease.start(control, lease, max);
        } catch (RuntimeException e) {
            control.close();
            throw e;
        }
        synchronized (this) {
            freeze = started;
            frozenAt = clock.instant();
        }
        CatchUp c = CatchUp.await(link().isPresent(),
                () -> link().map(l -> l.driver().behind(started.frozenOffset())).orElse(0L), catchUp);
        return new FreezeReport(started.frozenOffset(), c.caughtUpIn(), c.behind(), lease, max);
    }

    /** The session tells the migration about every verify: scan mode's repoint needs a passing one. */
    synchronized void verified(boolean equal, Instant startedAt) {
        if (equal && (lastPassingVerify == null || startedAt.isAfter(lastPassingVerify))) {
            lastPassingVerify = startedAt;
        } else if (!equal) {
            lastPassingVerify = null;
        }
    }

    @Override
    public Endpoint target() {
        return endpoint(Role.TARGET);
    }

    @Override
    public synchronized boolean repointed() {
        return repointed;
    }

    @Override
    public synchronized void markRepointed() {
        repointed = true;
    }

    Instant now() {
        return clock.instant();
    }

    @Override
    public synchronized boolean verifiedSince(Instant freezeStart) {
        return lastPassingVerify != null && !lastPassingVerify.isBefore(freezeStart);
    }

    /** {@code freeze-writes --via proxy}: see {@link ProxyCutover#freeze}. */
    public FreezeReport freezeViaProxy(ProxyLink proxy, Duration max, Duration catchUp) {
        synchronized (this) {
            if (freeze != null && !freeze.expired() || viaProxy.remainingSeconds().isPresent()) {
                throw CutoverException.precondition("writes are already frozen (" + state().label() + ")");
            }
        }
        FreezeReport report = viaProxy.freeze(proxy.proxy(), max, catchUp);
        synchronized (this) {
            frozenAt = clock.instant();
        }
        return report;
    }

    /** {@code unfreeze}: the abort path; returns how long writes were held. */
    public Duration unfreeze(boolean force) {
        Optional<Duration> fromProxy = viaProxy.release(endpoints.proxy().map(ProxyLink::proxy), force);
        if (fromProxy.isPresent()) {
            return fromProxy.get();
        }
        FreezeLease held;
        synchronized (this) {
            if (freeze == null) {
                throw CutoverException.precondition("writes are not frozen");
            }
            if (repointed && !force) {
                throw CutoverException.precondition("clients were repointed to the target: reopening the source now"
                        + " would split writes between two primaries. Run 'stop --demote-source', or unfreeze --force");
            }
            held = freeze;
            freeze = null;
            repointed = false;
        }
        try {
            return held.release();
        } finally {
            held.close();
        }
    }

    /**
     * {@code repoint}: sends clients to the target. Refuses unless replication streams, writes are
     * frozen and the target has applied exactly the frozen offset; {@code force} overrides.
     */
    public RepointOutcome repoint(RepointVia via, boolean force) {
        if (via instanceof RepointVia.Proxy proxyVia) {
            return viaProxy.repoint(endpoints.proxy().orElseThrow(() -> CutoverException.precondition("no cutover"
                    + " proxy in this session: 'connect proxy <control address>' or 'proxy start' first")).proxy(),
                    proxyVia, force);
        }
        Endpoint target = endpoint(Role.TARGET);
        List<String> missing = new ArrayList<>();
        FreezeLease held;
        synchronized (this) {
            held = freeze;
            if (repointed) {
                throw CutoverException.precondition("clients were already repointed to the target");
            }
        }
        if (link().isEmpty()) {
            missing.add("replication is not running");
        } else if (!(state() instanceof SessionState.Frozen) && !"up".equals(link().get().sampler().progress().linkStatus())) {
            missing.add("the replication link is down");
        }
        // Hold the freeze before checking: --max must not end it while clients are being moved.
        boolean holding = held != null && held.holdUntilReleased();
        if (!holding) {
            missing.add("writes are not frozen (run freeze-writes)");
        } else {
            if (held.renewalFailing()) {
                missing.add("the last freeze renewal failed (" + held.lastError() + "): the pause may be lapsing");
            }
            long sourceOffset = sourceOffset();
            if (sourceOffset != held.frozenOffset()) {
                missing.add("the source moved past the frozen offset " + held.frozenOffset() + " (now " + sourceOffset + ")");
            }
            ReplicationLink current = link().orElse(null);
            if (current != null && current.driver() instanceof dev.cutover.replication.ScanReplica scan) {
                long pending = scan.behind(held.frozenOffset());
                if (pending != 0) {
                    missing.add(pending == Long.MAX_VALUE ? "scan mode cannot prove it saw every change (the keyspace"
                            + " events are not subscribed)" : pending + " key(s) still to copy (lag is not zero)");
                }
                if (!verifiedSince(frozenAt)) {
                    missing.add("scan mode has no offsets to prove the copy: run 'verify' (it must pass) after"
                            + " freeze-writes");
                }
            } else if (current != null) {
                long applied = current.driver().appliedOffset();
                if (applied != held.frozenOffset()) {
                    missing.add("the target has applied offset " + applied + ", not the frozen " + held.frozenOffset()
                            + " (lag is not zero)");
                }
            }
        }
        if (!missing.isEmpty() && !force) {
            if (holding) {
                held.boundAgain();
            }
            throw CutoverException.precondition("repoint refused, clients were not moved: " + String.join("; ", missing)
                    + ". Writes made now would be lost; --force overrides");
        }
        RepointOutcome outcome;
        try {
            outcome = switch (via) {
                case RepointVia.Exec exec -> ExecRepoint.run(target.uri(), exec, secrets());
                case RepointVia.Haproxy haproxy -> HaproxyRepoint.run(target.uri(), haproxy);
                case RepointVia.Proxy p -> throw new IllegalStateException("handled above");
            };
        } catch (RuntimeException e) {
            if (holding) {
                held.boundAgain();
            }
            throw e;
        }
        synchronized (this) {
            repointed = true;
        }
        if (holding && missing.isEmpty()) {
            long after = sourceOffset();
            if (after != held.frozenOffset() || held.renewalFailing()) {
                throw CutoverException.failed("clients were repointed, but the source took writes while they moved (offset "
                        + held.frozenOffset() + " → " + after + "): those writes are on the source only. Keep the source"
                        + " frozen, compare with 'verify --full', and copy what is missing before 'stop --demote-source'");
            }
        }
        if (!missing.isEmpty()) {
            return new RepointOutcome("FORCED despite: " + String.join("; ", missing) + ". " + outcome.summary(),
                    outcome.output());
        }
        return outcome;
    }


    boolean holdsInProxy() {
        return viaProxy.holding();
    }

    /** One line per link this session runs, for {@code status}. */
    synchronized List<String> describeLinks() {
        List<String> lines = new ArrayList<>();
        if (link != null) {
            lines.add("link     " + link.mode().name().toLowerCase(java.util.Locale.ROOT) + " from " + link.sourceAddress()
                    + ", target applied offset " + link.driver().appliedOffset()
                    + (link.driver().problem().isEmpty() ? "" : "; problem: " + link.driver().problem()));
        }
        if (reverse != null) {
            lines.add("way back the old source follows " + reverse.sourceAddress() + " through this shell (psync in"
                    + " reverse), applied offset " + reverse.driver().appliedOffset()
                    + (reverse.driver().problem().isEmpty() ? "; keep the shell running" : "; problem: "
                    + reverse.driver().problem()));
        }
        return lines;
    }

    /** Whether a stop --demote-source left this shell feeding the old source (psync in reverse). */
    synchronized boolean hasReverseLink() {
        return reverse != null;
    }

    /** For a rollback after the session swapped the roles: the reverse psync link becomes the link. */
    synchronized void adoptReverse() {
        if (link != null) {
            throw CutoverException.precondition("replication is running (" + state(true).label()
                    + "): a rollback starts from a finished cutover ('stop --demote-source')");
        }
        link = reverse;
        reverse = null;
        stopped = false;
        streamingSince = clock.instant();
    }

    /**
     * Adopts the native link that a demotion left running (the old source replicating the new
     * primary) as this migration's link, after the session swapped the roles.
     */
    synchronized void adoptReverseLink(String sourceAddress) {
        if (link != null) {
            // What counts is the live servers (checked by the session), not this session's memory:
            // a rollback may well run in a new session, long after the cutover's.
            throw CutoverException.precondition("replication is running (" + state(true).label()
                    + "): a rollback starts from a finished cutover ('stop --demote-source')");
        }
        Endpoint source = endpoint(Role.SOURCE);
        long offset = Long.parseLong(source.infoFields("replication").getOrDefault("master_repl_offset", "0"));
        dev.cutover.replication.NativeDriver driver = new dev.cutover.replication.NativeDriver(endpoint(Role.TARGET),
                List.of());
        OffsetSampler sampler = new OffsetSampler(source, driver::progress, System::nanoTime);
        link = new ReplicationLink(ReplicateOptions.Mode.NATIVE, sourceAddress, List.of(), false, clock.instant(),
                offset, sampler, driver);
        sampler.sample();
        sampler.start();
        stopped = false;
        streamingSince = clock.instant();
    }

    @Override
    public long sourceOffset() {
        return Long.parseLong(endpoint(Role.SOURCE).infoFields("replication").getOrDefault("master_repl_offset", "0"));
    }

    /** Passwords the operator's hook must not inherit through the environment. */
    private java.util.Set<String> secrets() {
        java.util.Set<String> secrets = new java.util.HashSet<>();
        for (Role role : Role.values()) {
            endpoint(role).uri().password().ifPresent(p -> secrets.add(p.reveal()));
        }
        return secrets;
    }

    /** The status line's figures, from the sampler's latest readings. */
    synchronized LiveFigures figures() {
        long lagBytes = -1;
        double seconds = 0;
        String linkStatus = "";
        if (link != null && link.sampler().progress() != null) {
            SyncProgress p = link.sampler().progress();
            linkStatus = p.linkStatus();
            if (p.phase() == SyncProgress.Phase.STREAMING) {
                lagBytes = Math.max(0, link.sampler().lastSourceOffset() - p.appliedOffset());
                seconds = lagBytes == 0 ? 0 : link.sampler().secondsBehind(p.appliedOffset());
            }
        }
        long freezeLeft = freeze != null && !freeze.expired() ? freeze.remaining().toSeconds() : -1;
        String mode = link == null ? "" : link.mode().name().toLowerCase(java.util.Locale.ROOT);
        return new LiveFigures(mode, state(true).label(), lagBytes, seconds, freezeLeft, linkStatus);
    }

    /**
     * Stops the background work. A native link stays up (the servers run it); a psync link lives
     * in this process, so it ends cleanly here and 'replicate --mode psync --resume' continues it.
     * A freeze lapses within one lease.
     */
    synchronized void close() {
        if (reverse != null) {
            reverse.sampler().close();
            ((dev.cutover.replication.PsyncReplica) reverse.driver()).detach(); // the old source stays a replica
        }
        if (link != null) {
            link.sampler().close();
            if (link.driver() instanceof dev.cutover.replication.PsyncReplica psync && psync.feedsAnOldSource()) {
                psync.detach(); // after a rollback: the old source stays a (disconnected) read-only replica
            } else if (link.driver() instanceof dev.cutover.replication.PsyncReplica psync) {
                psync.stop(); // drains the writer and leaves a clean checkpoint for --resume
            } else if (link.driver() instanceof dev.cutover.replication.ScanReplica scan) {
                scan.stop(); // restores the source's notify-keyspace-events
            }
        }
        if (freeze != null) {
            freeze.close();
        }
    }
}
