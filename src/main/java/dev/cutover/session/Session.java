package dev.cutover.session;

import dev.cutover.CutoverException;
import dev.cutover.freeze.FreezeReport;
import dev.cutover.route.RepointOutcome;
import dev.cutover.route.RepointVia;
import dev.cutover.replication.CheckReport;
import dev.cutover.replication.Lag;
import dev.cutover.replication.ProgressListener;
import dev.cutover.replication.ReplicateOptions;
import dev.cutover.replication.ReplicationLink;
import dev.cutover.endpoint.ConnectOptions;
import dev.cutover.endpoint.Endpoint;
import dev.cutover.endpoint.EndpointConnector;
import dev.cutover.endpoint.EndpointSummary;
import dev.cutover.endpoint.EndpointUri;
import dev.cutover.endpoint.Role;
import dev.cutover.verify.Verifier;
import dev.cutover.verify.VerifyReport;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One migration: its endpoints, its state and its journal. Every primitive lives here once;
 * the shell's commands and the JavaScript API both call these methods.
 */
public final class Session implements AutoCloseable {
    private final dev.cutover.endpoint.ClientResourcesOnDemand resources = new dev.cutover.endpoint.ClientResourcesOnDemand();
    private final EndpointConnector connector;
    private final Map<Role, Endpoint> endpoints = new EnumMap<>(Role.class);
    private final Journal journal;
    private final Actor owner;
    private final ThreadLocal<Actor> acting = new ThreadLocal<>();
    private final Migration migration;
    private final Approvals approvals;
    private final Migration.Endpoints access;
    private volatile Rehearsal rehearsal;
    private volatile ProxyLink proxy;

    public Session(CutoverDirs dirs, String operator, Clock clock) {
        this.connector = new EndpointConnector(resources);
        this.owner = Actor.owner(operator);
        this.access = new Migration.Endpoints() {
            @Override
            public Endpoint endpoint(Role role) {
                return Session.this.endpoint(role);
            }

            @Override
            public EndpointSummary probe(Role role) {
                return Session.this.probe(role);
            }

            @Override
            public Endpoint dedicated(Role role) {
                Endpoint existing = Session.this.endpoint(role);
                return connector.connect(role, existing.uri(), existing.options());
            }

            @Override
            public SessionState state() {
                return Session.this.state();
            }

            @Override
            public java.nio.file.Path stateDir() {
                return dirs.state();
            }

            @Override
            public Optional<ProxyLink> proxy() {
                return Optional.ofNullable(proxy);
            }
        };
        this.migration = new Migration(access, clock);
        String id = LocalDateTime.now(clock).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + "-" + ProcessHandle.current().pid();
        this.journal = new Journal(dirs.journalDir().resolve(id + ".jsonl"), clock, () -> state().label());
        this.approvals = new Approvals(journal);
    }

    /** The name of who is acting now: a participant running a line in a shared session, else the owner. */
    public String operator() {
        return actor().name();
    }

    /** Who is acting now, with the identity the system vouches for. */
    public Actor actor() {
        Actor who = acting.get();
        return who != null ? who : owner;
    }

    /** True when the line running now was typed at this session's own terminal (or runs from it). */
    public boolean ownerAtTerminal() {
        return acting.get() == null;
    }

    /** The person at this session's own terminal. */
    public Actor owner() {
        return owner;
    }

    /** Runs {@code body} with {@code who} as the operator the journal records and approvals know. */
    public <T> T actingAs(Actor who, Supplier<T> body) {
        Actor before = acting.get();
        acting.set(who);
        try {
            return body.get();
        } finally {
            if (before == null) {
                acting.remove();
            } else {
                acting.set(before);
            }
        }
    }

    public Journal journal() {
        return journal;
    }

    public Approvals approvals() {
        return approvals;
    }

    public SessionState state() {
        boolean any;
        synchronized (this) {
            any = !endpoints.isEmpty();
        }
        return migration.state(any);
    }

    /**
     * {@code rollback}: after {@code stop --demote-source} left the old source replicating the new
     * primary, swaps the roles (the new primary becomes the source) and adopts that link, so the
     * same freeze-writes, repoint and stop --demote-source carry the clients back.
     */
    public RollbackReport rollback() {
        Endpoint oldSource = endpoint(Role.SOURCE);
        Endpoint oldTarget = endpoint(Role.TARGET);
        if (migration.hasReverseLink()) {
            // psync in reverse: this shell feeds the old source, which is the new link's target.
            synchronized (this) {
                endpoints.put(Role.SOURCE, oldTarget.as(Role.SOURCE));
                endpoints.put(Role.TARGET, oldSource.as(Role.TARGET));
            }
            try {
                migration.adoptReverse();
            } catch (RuntimeException e) {
                synchronized (this) {
                    endpoints.put(Role.SOURCE, oldSource);
                    endpoints.put(Role.TARGET, oldTarget);
                }
                throw e;
            }
            return new RollbackReport(oldTarget.uri().redacted(), oldSource.uri().redacted());
        }
        Map<String, String> repl = oldSource.infoFields("replication");
        String expectedHost = oldTarget.uri().host();
        String expectedPort = String.valueOf(oldTarget.uri().port());
        if (!"slave".equals(repl.get("role")) || !expectedPort.equals(repl.get("master_port"))
                || !(expectedHost.equals(repl.get("master_host")) || "localhost".equals(expectedHost))) {
            throw CutoverException.precondition("rollback needs the old source to replicate the target (as 'stop"
                    + " --demote-source' leaves it where the pair has a native way back); it is "
                    + repl.getOrDefault("role", "?") + (repl.containsKey("master_host") ? " of " + repl.get("master_host")
                    + ":" + repl.get("master_port") : "") + ". Where there is no native way back, roll back with psync mode");
        }
        if (!"up".equals(repl.get("master_link_status"))) {
            throw CutoverException.precondition("the old source's link to the target is " + repl.get("master_link_status")
                    + ": wait until it is up (it may still be loading the target's data)");
        }
        synchronized (this) {
            endpoints.put(Role.SOURCE, oldTarget.as(Role.SOURCE));
            endpoints.put(Role.TARGET, oldSource.as(Role.TARGET));
        }
        try {
            migration.adoptReverseLink(oldTarget.uri().host() + ":" + oldTarget.uri().port());
        } catch (RuntimeException e) {
            synchronized (this) {
                endpoints.put(Role.SOURCE, oldSource);
                endpoints.put(Role.TARGET, oldTarget);
            }
            throw e;
        }
        return new RollbackReport(oldTarget.uri().redacted(), oldSource.uri().redacted());
    }

    /**
     * {@code verify}: compares source and target (counts and a sample, or every key with
     * {@code full}) on connections of its own; changes nothing.
     */
    public VerifyReport verify(boolean full, int sample, int show) {
        Endpoint source = access.dedicated(Role.SOURCE);
        try (source; Endpoint target = access.dedicated(Role.TARGET)) {
            boolean frozen = state() instanceof SessionState.Frozen || state() instanceof SessionState.Repointed;
            java.time.Instant startedAt = migration.now();
            VerifyReport report = new Verifier(source, target, show).run(full, sample, frozen);
            migration.verified(report.equal(), startedAt);
            return report;
        }
    }

    /** The status line's figures; cheap (no server round trip), safe to call every second. */
    public LiveFigures figures() {
        return migration.figures();
    }

    public Optional<ReplicationLink> link() {
        return migration.link();
    }

    /** {@code check}: the pre-flight checklist for the connected pair; changes nothing. */
    public CheckReport check(boolean flushTarget) {
        return migration.check(flushTarget);
    }

    /** {@code replicate}: runs the check, refuses on any ✗, then starts the link. */
    public CheckReport replicate(ReplicateOptions options, ProgressListener listener) {
        Rehearsal r = rehearsal;
        return r != null ? r.replicate(options) : migration.replicate(options, listener);
    }

    /** {@code lag}: bytes and seconds behind, keys on both sides, link state, last error. */
    public Lag lag() {
        Rehearsal r = rehearsal;
        return r != null ? r.lag() : migration.lag();
    }

    /** {@code wait-lag}: returns when at most {@code maxBytes} behind, or fails with exit 3. */
    public Lag waitLag(long maxBytes, Duration timeout) {
        Rehearsal r = rehearsal;
        return r != null ? r.waitLag(maxBytes, timeout) : migration.waitLag(maxBytes, timeout);
    }

    /** {@code stop}: ends replication, restores the target's configs, demotes the source if asked. */
    public StopSummary stop(boolean demoteSource) {
        Rehearsal r = rehearsal;
        return r != null ? r.stop(demoteSource) : migration.stop(demoteSource);
    }

    /** {@code freeze-writes}: pauses writes on the source, bounded and self-expiring. */
    public FreezeReport freezeWrites(Duration max, Duration lease, Duration catchUp) {
        return freezeWrites(max, lease, catchUp, false);
    }

    /** {@code freeze-writes --via proxy}: the proxy holds write commands; reads go on. */
    public FreezeReport freezeWrites(Duration max, Duration lease, Duration catchUp, boolean viaProxy) {
        Rehearsal r = rehearsal;
        if (r != null) {
            if (viaProxy) {
                requireProxy();
            }
            return r.freezeWrites(max, lease);
        }
        return viaProxy ? migration.freezeViaProxy(requireProxy(), max, catchUp) : migration.freezeWrites(max, lease, catchUp);
    }

    private ProxyLink requireProxy() {
        ProxyLink p = proxy;
        if (p == null) {
            throw dev.cutover.CutoverException.precondition("no cutover proxy in this session: 'connect proxy <control"
                    + " address>' attaches to a running one, 'proxy start --listen HOST:PORT' starts one here");
        }
        return p;
    }

    /** {@code connect proxy}: attaches to a running cutover proxy's control endpoint. */
    public String attachProxy(String address, Optional<dev.cutover.endpoint.Secret> token, Optional<String> fingerprint) {
        dev.cutover.proxy.ProxyControl control = dev.cutover.proxy.ProxyControl.connect(address, token, fingerprint);
        dev.cutover.proxy.ProxyStatus status;
        try {
            status = control.status();
        } catch (RuntimeException e) {
            control.close();
            throw e;
        }
        ProxyLink previous = proxy;
        proxy = ProxyLink.attached(address, control);
        if (previous != null) {
            previous.close();
        }
        return proxy.describe() + ": " + ProxyStatusText.of(status);
    }

    /** {@code proxy start}: a proxy inside this shell, forwarding to the {@code upstream} endpoint. */
    public String startProxy(String listen, Role upstream) {
        return startProxy(listen, upstream, new dev.cutover.proxy.ClientAuth.Transparent(false));
    }

    /** The same, with {@code clients} authenticating to the upstream themselves or to the proxy. */
    public String startProxy(String listen, Role upstream, dev.cutover.proxy.ClientAuth clients) {
        if (proxy != null) {
            throw dev.cutover.CutoverException.precondition("this session already has a proxy (" + proxy.describe()
                    + "): 'proxy stop' first");
        }
        Endpoint to = endpoint(upstream);
        dev.cutover.proxy.ProxyServer server = dev.cutover.proxy.ProxyServer.start(
                dev.cutover.proxy.ProxyOptions.of(listen, to.uri().withSecret())
                        .withUpstreamTrust(dev.cutover.proxy.UpstreamTrust.of(to.options())).withClientAuth(clients));
        proxy = ProxyLink.embedded(server);
        return proxy.describe() + ", forwarding to " + upstream.label() + " " + endpoint(upstream).uri().redacted()
                + (server.warnings().isEmpty() ? "" : "\n! " + String.join("\n! ", server.warnings()));
    }

    public dev.cutover.proxy.ProxyStatus proxyStatus() {
        return requireProxy().proxy().status();
    }

    /** {@code proxy stop}: stops a proxy started here, or detaches from an attached one (which goes on). */
    public String stopProxy() {
        ProxyLink p = requireProxy();
        if (migration.holdsInProxy()) {
            throw dev.cutover.CutoverException.precondition("the proxy holds writes for this session: 'unfreeze' or"
                    + " 'repoint --via proxy' first, so they do not wait for the hold's max");
        }
        proxy = null;
        p.close();
        return p.embedded() ? "the proxy in this shell stopped; its clients were disconnected"
                : "detached from the proxy; it goes on forwarding";
    }

    /** {@code unfreeze}: the abort path; returns how long writes were held. */
    public Duration unfreeze(boolean force) {
        Rehearsal r = rehearsal;
        return r != null ? r.unfreeze(force) : migration.unfreeze(force);
    }

    /** {@code repoint}: sends clients to the target once writes are frozen and lag is exactly zero. */
    public RepointOutcome repoint(RepointVia via, boolean force) {
        Rehearsal r = rehearsal;
        return r != null ? r.repoint(via, force) : migration.repoint(via, force);
    }

    /**
     * Runs {@code body} as a dry run: every primitive checks its preconditions against the live
     * servers and reports through {@code say} what it would do; nothing on any server changes.
     */
    public <T> T rehearse(Consumer<String> say, Supplier<T> body) {
        synchronized (this) {
            if (rehearsal != null) {
                return body.get();
            }
            rehearsal = new Rehearsal(access, migration, say);
        }
        try {
            return body.get();
        } finally {
            rehearsal = null;
        }
    }

    public boolean isDryRun() {
        return rehearsal != null;
    }

    /** A command sent on an endpoint's behalf (source.call): in a dry run only reads go through. */
    /**
     * Sends a command as is. One that may change the server (by its COMMAND INFO flags) goes
     * through the same gate as the primitives: with approvals on, it waits for another person.
     */
    public Object call(Role role, List<String> args) {
        Rehearsal r = rehearsal;
        if (r != null) {
            return r.call(endpoint(role), args);
        }
        Endpoint endpoint = endpoint(role);
        if (approvals.required() >= 2 && dev.cutover.endpoint.CommandEffect.changesServer(endpoint, args)) {
            approvals.await(role.label() + ".call " + dev.cutover.endpoint.Redaction.line(String.join(" ", args)), actor());
        }
        return endpoint.call(args);
    }

    private EndpointSummary probe(Role role) {
        return EndpointSummary.probe(endpoint(role));
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
            fresh.add(EndpointSummary.probe(endpoint));
        }
        List<String> links = new ArrayList<>(migration.describeLinks());
        ProxyLink p = proxy;
        if (p != null) {
            String now;
            try {
                now = ProxyStatusText.of(p.proxy().status());
            } catch (RuntimeException e) {
                now = "cannot read its status: " + e.getMessage();
            }
            links.add("proxy    " + p.describe() + ": " + now);
        }
        return new SessionStatus(state().label(), fresh, journal.file().toString(), links);
    }

    @Override
    public void close() {
        List<Endpoint> all;
        migration.close(); // a native link stays up; a psync or scan link ends cleanly
        ProxyLink p = proxy;
        if (p != null) {
            p.close();
        }
        synchronized (this) {
            all = new ArrayList<>(endpoints.values());
            endpoints.clear();
        }
        all.forEach(Endpoint::close);
        resources.shutdown();
    }

}
