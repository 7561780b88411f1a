package dev.cutover.proxy;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.EndpointUri;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run a proxy: where clients connect, the server it forwards to, where sessions control it
 * (none: only in-process through {@link ProxyServer}), how many event-loop threads forward, and
 * whom it trusts on a TLS upstream (rediss://, valkeys://) — also the trust a switch uses when it
 * names none of its own; and how long a connection opened ahead of a switch may sit idle before
 * the switch opens it again (a network path may have dropped it silently).
 */
public record ProxyOptions(HostPort listen, EndpointUri upstream, Optional<ControlEndpoint> control, int eventLoops,
                           UpstreamTrust upstreamTrust, Duration preopenedMaxAge) {
    /** Seconds between a freeze and its repoint are usual; paths that forget idle flows wait minutes. */
    public static final Duration PREOPENED_MAX_AGE = Duration.ofSeconds(30);

    public ProxyOptions {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(upstreamTrust, "upstreamTrust");
        Objects.requireNonNull(preopenedMaxAge, "preopenedMaxAge");
        if (eventLoops < 1 || eventLoops > 64) {
            throw CutoverException.usage("--loops takes 1 to 64, not " + eventLoops);
        }
    }

    /** The JDK's CAs for a TLS upstream. */
    public ProxyOptions(HostPort listen, EndpointUri upstream, Optional<ControlEndpoint> control, int eventLoops) {
        this(listen, upstream, control, eventLoops, UpstreamTrust.defaults(), PREOPENED_MAX_AGE);
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
        return new ProxyOptions(listen, upstream, Optional.of(endpoint), eventLoops, upstreamTrust, preopenedMaxAge);
    }

    public ProxyOptions withEventLoops(int n) {
        return new ProxyOptions(listen, upstream, control, n, upstreamTrust, preopenedMaxAge);
    }

    /** {@code cutover proxy --upstream-cacert FILE} / {@code --upstream-insecure}. */
    public ProxyOptions withUpstreamTrust(UpstreamTrust trust) {
        return new ProxyOptions(listen, upstream, control, eventLoops, trust, preopenedMaxAge);
    }

    public ProxyOptions withPreopenedMaxAge(Duration age) {
        return new ProxyOptions(listen, upstream, control, eventLoops, upstreamTrust, age);
    }
}
