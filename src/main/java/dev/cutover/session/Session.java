package dev.cutover.session;

import dev.cutover.CutoverException;
import dev.cutover.Figures;
import dev.cutover.endpoint.ServerInfo;
import dev.cutover.replication.CheckItem;
import dev.cutover.replication.CheckReport;
import dev.cutover.replication.ConfigChange;
import dev.cutover.replication.Lag;
import dev.cutover.replication.NativePrediction;
import dev.cutover.replication.NativeReplicator;
import dev.cutover.replication.Preflight;
import dev.cutover.replication.ProgressListener;
import dev.cutover.replication.ReplicateOptions;
import dev.cutover.replication.ReplicationLink;
import dev.cutover.replication.SyncProgress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.stream.Collectors;
import dev.cutover.endpoint.ConnectOptions;
import dev.cutover.endpoint.Endpoint;
import dev.cutover.endpoint.EndpointConnector;
import dev.cutover.endpoint.EndpointSummary;
import dev.cutover.endpoint.EndpointUri;
import dev.cutover.endpoint.Role;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One migration: its endpoints, its state and its journal. Every primitive lives here once;
 * the shell's commands and the JavaScript API both call these methods.
 */
public final class Session implements AutoCloseable {
    private final ClientResources resources;
    private final EndpointConnector connector;
    private final Map<Role, Endpoint> endpoints = new EnumMap<>(Role.class);
    private final Map<Role, EndpointSummary> summaries = new EnumMap<>(Role.class);
    private final Journal journal;
    private final String operator;
    private final Clock clock;
    private ReplicationLink link;
    private Instant streamingSince;
    private boolean stopped;

    public Session(CutoverDirs dirs, String operator, Clock clock) {
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        this.connector = new EndpointConnector(resources);
        this.operator = operator;
        this.clock = clock;
        String id = LocalDateTime.now(clock).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + "-" + ProcessHandle.current().pid();
        this.journal = new Journal(dirs.journalDir().resolve(id + ".jsonl"), clock, () -> state().label());
    }

    public String operator() {
        return operator;
    }

    public Journal journal() {
        return journal;
    }

    public synchronized SessionState state() {
        if (link != null) {
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
        if (stopped) {
            return new SessionState.Stopped();
        }
        return endpoints.isEmpty() ? new SessionState.Idle() : new SessionState.Connected();
    }

    private static String shortReason(String message) {
        return message.length() > 40 ? message.substring(0, 40) + "…" : message;
    }

    public synchronized Optional<ReplicationLink> link() {
        return Optional.ofNullable(link);
    }

    private EndpointSummary summary(Role role) {
        Endpoint endpoint = endpoint(role);
        EndpointSummary summary = EndpointSummary.probe(endpoint);
        synchronized (this) {
            summaries.put(role, summary);
        }
        return summary;
    }

    /** {@code check}: the pre-flight checklist for the connected pair; changes nothing. */
    public CheckReport check(boolean flushTarget) {
        Endpoint source = endpoint(Role.SOURCE);
        Endpoint target = endpoint(Role.TARGET);
        return Preflight.run(source, summary(Role.SOURCE), target, summary(Role.TARGET), flushTarget);
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
        CheckReport report = check(options.flushTarget());
        if (!report.passed()) {
            throw CutoverException.precondition("check failed, nothing was changed: "
                    + report.failures().stream().map(CheckItem::sentence).collect(Collectors.joining("; ")));
        }
        switch (options.mode()) {
            case PSYNC, SCAN -> throw CutoverException.precondition("--mode " + options.mode().name()
                    .toLowerCase(java.util.Locale.ROOT) + " is not available in this version: use --mode native");
            default -> { }
        }
        boolean relaxed = report.wayThere() instanceof NativePrediction.NeedsRelaxed;
        NativeReplicator replicator = new NativeReplicator(endpoint(Role.SOURCE), endpoint(Role.TARGET), clock);
        ReplicationLink started = replicator.start(options, relaxed, listener);
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
        Map<String, String> targetRepl = target.infoFields("replication");
        long targetOffset = Long.parseLong(targetRepl.getOrDefault("slave_repl_offset", "0"));
        SyncProgress progress = current.sampler().progress();
        boolean streaming = progress.phase() == SyncProgress.Phase.STREAMING;
        if (streaming) {
            synchronized (this) {
                if (streamingSince == null) {
                    streamingSince = clock.instant();
                }
            }
        }
        ServerInfo src = ServerInfo.parse(source.info("keyspace"));
        ServerInfo tgt = ServerInfo.parse(target.info("keyspace"));
        long bytes = streaming ? Math.max(0, sourceOffset - targetOffset) : Math.max(0, sourceOffset - current.startOffset());
        double seconds = bytes == 0 ? 0 : current.sampler().secondsBehind(streaming ? targetOffset : current.startOffset());
        return new Lag(bytes, seconds, sourceOffset, targetOffset, state().label(), progress.linkStatus(),
                keys(src), keys(tgt), src.totalSubexpiry(), current.relaxed(), current.sampler().lastError());
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
    public StopSummary stop() {
        ReplicationLink current = requireLink();
        Lag last;
        try {
            last = lag();
        } catch (CutoverException e) {
            last = null;
        }
        new NativeReplicator(endpoint(Role.SOURCE), endpoint(Role.TARGET), clock).stop(current);
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
                last == null ? -1 : last.bytes(), false);
    }

    public synchronized boolean isConnected(Role role) {
        return endpoints.containsKey(role);
    }

    public synchronized Optional<EndpointUri> uri(Role role) {
        return Optional.ofNullable(endpoints.get(role)).map(Endpoint::uri);
    }

    /** The connected endpoint in {@code role}, or a clear error saying to connect it first. */
    public synchronized Endpoint endpoint(Role role) {
        Endpoint endpoint = endpoints.get(role);
        if (endpoint == null) {
            throw CutoverException.precondition("no " + role.label() + " is connected: run 'connect "
                    + role.label() + " redis://host:port' first");
        }
        return endpoint;
    }

    /**
     * Connects {@code role}. An existing connection in that role is replaced only when
     * {@code replace} is set; the old one stays if the new one fails.
     */
    public EndpointSummary connect(Role role, EndpointUri uri, ConnectOptions options, boolean replace) {
        synchronized (this) {
            Endpoint existing = endpoints.get(role);
            if (existing != null && !replace) {
                throw CutoverException.precondition(role.label() + " is already connected to "
                        + existing.uri().redacted() + ": add --replace to connect it elsewhere");
            }
        }
        Endpoint endpoint = connector.connect(role, uri, options);
        EndpointSummary summary;
        try {
            summary = EndpointSummary.probe(endpoint);
        } catch (RuntimeException e) {
            endpoint.close();
            throw e;
        }
        Endpoint old;
        synchronized (this) {
            old = endpoints.put(role, endpoint);
            summaries.put(role, summary);
        }
        if (old != null) {
            old.close();
        }
        return summary;
    }

    public void disconnect(Role role) {
        Endpoint old;
        synchronized (this) {
            old = endpoints.remove(role);
            summaries.remove(role);
        }
        if (old == null) {
            throw CutoverException.precondition("no " + role.label() + " is connected");
        }
        old.close();
    }

    /** The session as it is now; endpoint figures are read afresh from the servers. */
    public SessionStatus status() {
        List<Endpoint> connected;
        synchronized (this) {
            connected = new ArrayList<>(endpoints.values());
        }
        List<EndpointSummary> fresh = new ArrayList<>();
        for (Endpoint endpoint : connected) {
            EndpointSummary summary = EndpointSummary.probe(endpoint);
            synchronized (this) {
                summaries.put(endpoint.role(), summary);
            }
            fresh.add(summary);
        }
        return new SessionStatus(state().label(), fresh, journal.file().toString());
    }

    @Override
    public void close() {
        List<Endpoint> all;
        synchronized (this) {
            if (link != null) {
                link.sampler().close(); // the link itself stays up: closing a shell never stops replication
            }
            all = new ArrayList<>(endpoints.values());
            endpoints.clear();
        }
        all.forEach(Endpoint::close);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

}
