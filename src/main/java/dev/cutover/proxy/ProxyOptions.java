package dev.cutover.proxy;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.EndpointUri;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run a proxy: where clients connect, the server it forwards to, who authenticates the
 * clients ({@link ClientAuth}), where sessions control it (none: only in-process through
 * {@link ProxyServer}), how many event-loop threads forward, whom it trusts on a TLS upstream
 * (rediss://, valkeys://) — also the trust a switch uses when it names none of its own; how long
 * a connection opened ahead of a switch may sit idle before the switch opens it again (a network
 * path may have dropped it silently); and how much it buffers at most ({@link ProxyLimits}).
 */
public record ProxyOptions(HostPort listen, EndpointUri upstream, Optional<ControlEndpoint> control, int eventLoops,
                           UpstreamTrust upstreamTrust, Duration preopenedMaxAge, ClientAuth clientAuth,
                           ProxyLimits limits) {
    /** Seconds between a freeze and its repoint are usual; paths that forget idle flows wait minutes. */
    public static final Duration PREOPENED_MAX_AGE = Duration.ofSeconds(30);

    public ProxyOptions {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(upstreamTrust, "upstreamTrust");
        Objects.requireNonNull(preopenedMaxAge, "preopenedMaxAge");
        Objects.requireNonNull(clientAuth, "clientAuth");
        Objects.requireNonNull(limits, "limits");
        if (eventLoops < 1 || eventLoops > 64) {
            throw CutoverException.usage("--loops takes 1 to 64, not " + eventLoops);
        }
    }

    /** The JDK's CAs for a TLS upstream; transparent client auth; the default limits. */
    public ProxyOptions(HostPort listen, EndpointUri upstream, Optional<ControlEndpoint> control, int eventLoops) {
        this(listen, upstream, control, eventLoops, UpstreamTrust.defaults(), PREOPENED_MAX_AGE,
                new ClientAuth.Transparent(false), ProxyLimits.defaults());
    }

    /** One event loop per core, at most four: past that, forwarding is bound by the servers, not the proxy. */
    public static int defaultEventLoops() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    public static ProxyOptions of(String listen, String upstreamUri) {
        return new ProxyOptions(HostPort.parse(listen, "--listen"), EndpointUri.parse(upstreamUri), Optional.empty(),
                defaultEventLoops());
    }

    public ProxyOptions withControl(ControlEndpoint endpoint) {
        return new ProxyOptions(listen, upstream, Optional.of(endpoint), eventLoops, upstreamTrust, preopenedMaxAge,
                clientAuth, limits);
    }

    public ProxyOptions withEventLoops(int n) {
        return new ProxyOptions(listen, upstream, control, n, upstreamTrust, preopenedMaxAge, clientAuth, limits);
    }

    /** {@code cutover proxy --upstream-cacert FILE} / {@code --upstream-insecure}. */
    public ProxyOptions withUpstreamTrust(UpstreamTrust trust) {
        return new ProxyOptions(listen, upstream, control, eventLoops, trust, preopenedMaxAge, clientAuth, limits);
    }

    public ProxyOptions withPreopenedMaxAge(Duration age) {
        return new ProxyOptions(listen, upstream, control, eventLoops, upstreamTrust, age, clientAuth, limits);
    }

    /** {@code --client-password-env} (the proxy authenticates clients) or {@code --transparent-auth}. */
    public ProxyOptions withClientAuth(ClientAuth auth) {
        return new ProxyOptions(listen, upstream, control, eventLoops, upstreamTrust, preopenedMaxAge, auth, limits);
    }

    public ProxyOptions withLimits(ProxyLimits l) {
        return new ProxyOptions(listen, upstream, control, eventLoops, upstreamTrust, preopenedMaxAge, clientAuth, l);
    }

    /**
     * Refuses what would let clients in unchecked: upstream credentials handed to connections the
     * proxy did not authenticate. With transparent auth those credentials are the proxy's own; on a
     * non-loopback address the operator must say so, since the usual intent is offloading.
     */
    void checkClientAuth() {
        boolean upstreamLogin = upstream.password().isPresent();
        if (clientAuth instanceof ClientAuth.Transparent t && upstreamLogin) {
            if (!t.chosen() && !listen.isLoopback()) {
                throw CutoverException.usage("the proxy would listen on " + listen + " with the upstream's password but"
                        + " none of its own for clients: add --client-password-env VAR (clients AUTH to the proxy, which"
                        + " logs them in upstream), or --transparent-auth (clients AUTH to the server themselves; the"
                        + " password serves only the proxy's own connections)");
            }
            if (upstream.db() != 0) {
                throw CutoverException.usage("with transparent auth clients log in after they connect, so the proxy"
                        + " cannot select database " + upstream.db() + " of --upstream for them: drop /" + upstream.db()
                        + " (clients SELECT it themselves), or give clients a password of the proxy's own"
                        + " (--client-password-env VAR)");
            }
        }
    }
}
