package dev.cutover.proxy;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.EndpointUri;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run a proxy: where clients connect, the server it forwards to, where sessions control it
 * (none: only in-process through {@link ProxyServer}), how many event-loop threads forward, and
 * whom it trusts on a TLS upstream (rediss://, valkeys://) — also the trust a switch uses when it
 * names none of its own.
 */
public record ProxyOptions(HostPort listen, EndpointUri upstream, Optional<ControlEndpoint> control, int eventLoops,
                           UpstreamTrust upstreamTrust) {
    public ProxyOptions {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(upstreamTrust, "upstreamTrust");
        if (eventLoops < 1 || eventLoops > 64) {
            throw CutoverException.usage("--loops takes 1 to 64, not " + eventLoops);
        }
    }

    /** The JDK's CAs for a TLS upstream. */
    public ProxyOptions(HostPort listen, EndpointUri upstream, Optional<ControlEndpoint> control, int eventLoops) {
        this(listen, upstream, control, eventLoops, UpstreamTrust.defaults());
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
        return new ProxyOptions(listen, upstream, Optional.of(endpoint), eventLoops, upstreamTrust);
    }

    public ProxyOptions withEventLoops(int n) {
        return new ProxyOptions(listen, upstream, control, n, upstreamTrust);
    }

    /** {@code cutover proxy --upstream-cacert FILE} / {@code --upstream-insecure}. */
    public ProxyOptions withUpstreamTrust(UpstreamTrust trust) {
        return new ProxyOptions(listen, upstream, control, eventLoops, trust);
    }
}
