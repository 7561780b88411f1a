package dev.cutover.proxy;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.EndpointUri;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run a proxy: where clients connect, the server it forwards to, where sessions control it
 * (none: only in-process through {@link ProxyServer}), and how many event-loop threads forward.
 */
public record ProxyOptions(HostPort listen, EndpointUri upstream, Optional<ControlEndpoint> control, int eventLoops) {
    public ProxyOptions {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(control, "control");
        if (eventLoops < 1 || eventLoops > 64) {
            throw CutoverException.usage("--loops takes 1 to 64, not " + eventLoops);
        }
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
        return new ProxyOptions(listen, upstream, Optional.of(endpoint), eventLoops);
    }

    public ProxyOptions withEventLoops(int n) {
        return new ProxyOptions(listen, upstream, control, n);
    }
}
