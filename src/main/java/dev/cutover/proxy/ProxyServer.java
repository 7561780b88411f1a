package dev.cutover.proxy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A running RESP proxy: clients connect to {@link #address()}, each gets its own connection to the
 * upstream, and {@link #hold}, {@link #release} and {@link #switchTo} move them all to another
 * server without an error or a reconnect. Runs in-process ({@code ProxyServer.start(options)}) or as
 * {@code cutover proxy}; with a control endpoint, sessions drive it through {@link ProxyControl}.
 */
public final class ProxyServer implements ProxyHandle {
    private final ProxyOptions options;
    private final ProxyEngine engine;
    private final Coordinator coordinator;
    private final ControlServer control;
    private final List<String> warnings;

    private ProxyServer(ProxyOptions options, ProxyEngine engine, ControlServer control, List<String> warnings) {
        this.options = options;
        this.engine = engine;
        this.coordinator = new Coordinator(engine);
        this.control = control;
        this.warnings = List.copyOf(warnings);
        if (control != null) {
            control.serve(this);
        }
    }

    /**
     * Listens and starts forwarding. An upstream that cannot be reached is not fatal (a warning in
     * {@link #warnings()}): clients get an error reply until it answers. A port in use, a bad URI or
     * a control socket that cannot be made are errors.
     */
    public static ProxyServer start(ProxyOptions options) {
        options.checkClientAuth();
        Upstream upstream = Upstream.of(options.upstream(), options.upstreamTrust(), options.clientAuth());
        HostPort listen = options.listen();
        ProxyEngine engine = new ProxyEngine(new InetSocketAddress(listen.host(), listen.port()), upstream,
                options.eventLoops(), options.preopenedMaxAge(), options.clientAuth(), options.limits());
        List<String> warnings = new ArrayList<>();
        ControlServer control = null;
        try {
            if (!engine.loadCommands(upstream)) {
                warnings.add("upstream " + upstream.display() + " does not answer yet: clients get an error reply until it"
                        + " does; writes are told apart by a built-in command list until then");
            }
            if (options.control().isPresent()) {
                control = ControlServer.open(options.control().get());
            }
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        return new ProxyServer(options, engine, control, warnings);
    }

    /** Where clients connect (the bound port when the options asked for port 0). */
    public InetSocketAddress address() {
        return engine.address();
    }

    /** Where sessions connect: "unix:/path" or "host:port"; empty without a control endpoint. */
    public Optional<String> controlAddress() {
        return Optional.ofNullable(control).map(ControlServer::address);
    }

    /** The SHA-256 fingerprint of a TCP control endpoint's certificate, which sessions pin; empty otherwise. */
    public Optional<String> controlFingerprint() {
        return Optional.ofNullable(control).flatMap(ControlServer::fingerprint);
    }

    public List<String> warnings() {
        return warnings;
    }

    public ProxyStatus status() {
        List<long[]> parts = engine.onLoops(l -> new long[] {l.pairs().size(), l.heldCommands, l.inflightWrites,
                l.replayErrors});
        long clients = 0;
        long held = 0;
        long inflight = 0;
        long replayErrors = 0;
        for (long[] p : parts) {
            clients += p[0];
            held += p[1];
            inflight += p[2];
            replayErrors += p[3];
        }
        LatencyHistogram latency = engine.recentLatency();
        HostPort listen = new HostPort(address().getHostString(), address().getPort());
        return new ProxyStatus(listen.toString(), engine.upstream.toString(), engine.health.state(), (int) clients,
                engine.opsPerSecond(), coordinator.holdState(), held, inflight, latency.quantile(0.5) / 1000.0,
                latency.quantile(0.99) / 1000.0, replayErrors,
                String.join("; ", engine.loops.stream().map(EventLoop::ioDescription).distinct().toList()),
                engine.budget.used(), engine.budget.limit(), engine.evicted(), engine.loopFailures());
    }

    /** Holds writes (reads go on) for at most {@code max}; returns when no write sent before is still unanswered. */
    public HoldResult hold(Duration max) {
        return coordinator.hold(max);
    }

    /** Lets the held writes go to the current upstream, in order. */
    public ReleaseResult release() {
        return coordinator.release();
    }

    @Override
    public int prepare(String targetUri, UpstreamTrust trust) {
        return coordinator.prepare(Upstream.of(dev.cutover.endpoint.EndpointUri.parse(targetUri), trust,
                options.clientAuth()));
    }

    /**
     * Moves every client connection to {@code targetUri} (holding writes first if they are not held),
     * and releases the held requests there. {@code clientCredentials}: what clients that authenticated
     * use on the target instead of their own AUTH.
     */
    public SwitchResult switchTo(String targetUri, Optional<Credentials> clientCredentials) {
        return switchTo(targetUri, clientCredentials, options.upstreamTrust());
    }

    /** The same, trusting {@code trust} if the target is a TLS one (rediss://, valkeys://). */
    public SwitchResult switchTo(String targetUri, Optional<Credentials> clientCredentials, UpstreamTrust trust) {
        return coordinator.switchTo(Upstream.of(dev.cutover.endpoint.EndpointUri.parse(targetUri), trust,
                options.clientAuth()), clientCredentials);
    }

    public ProxyOptions options() {
        return options;
    }

    @Override
    public void close() {
        if (control != null) {
            control.close();
        }
        engine.close();
    }
}
