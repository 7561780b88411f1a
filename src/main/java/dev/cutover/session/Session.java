package dev.cutover.session;

import dev.cutover.CutoverException;
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

    public Session(CutoverDirs dirs, String operator, Clock clock) {
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        this.connector = new EndpointConnector(resources);
        this.operator = operator;
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
        return endpoints.isEmpty() ? new SessionState.Idle() : new SessionState.Connected();
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
            all = new ArrayList<>(endpoints.values());
            endpoints.clear();
        }
        all.forEach(Endpoint::close);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    public static Duration defaultTimeout() {
        return ConnectOptions.DEFAULT_TIMEOUT;
    }
}
