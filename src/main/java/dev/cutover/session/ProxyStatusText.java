package dev.cutover.session;

import dev.cutover.proxy.ProxyStatus;
import java.util.Locale;

/** One line for a proxy's status, shared by connect proxy, proxy status and the script twin. */
public final class ProxyStatusText {
    private ProxyStatusText() {
    }

    public static java.util.Map<String, Object> data(ProxyStatus s) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("listen", s.listen());
        m.put("upstream", s.upstream());
        m.put("upstreamReachable", s.upstreamState() instanceof dev.cutover.proxy.UpstreamState.Reachable);
        m.put("clients", s.clients());
        m.put("opsPerSecond", s.opsPerSecond());
        m.put("holding", s.hold() instanceof dev.cutover.proxy.HoldState.Holding);
        m.put("heldCommands", s.heldCommands());
        m.put("addedLatencyP50Micros", s.addedLatencyP50Micros());
        m.put("addedLatencyP99Micros", s.addedLatencyP99Micros());
        m.put("replayErrors", s.replayErrors());
        return m;
    }

    public static String of(ProxyStatus s) {
        String upstream = switch (s.upstreamState()) {
            case dev.cutover.proxy.UpstreamState.Reachable r -> "reachable";
            case dev.cutover.proxy.UpstreamState.Unreachable u -> "UNREACHABLE since " + u.since() + ": " + u.reason();
            case dev.cutover.proxy.UpstreamState.Unknown u -> "not tried yet";
        };
        String hold = switch (s.hold()) {
            case dev.cutover.proxy.HoldState.Open o -> "writes flow";
            case dev.cutover.proxy.HoldState.Holding h -> "writes HELD until " + h.until() + " (" + s.heldCommands()
                    + " held)";
        };
        return String.format(Locale.ROOT, "listening on %s, upstream %s (%s), %d client(s), %.0f ops/s, %s, added"
                        + " latency p50 %.0f µs p99 %.0f µs%s", s.listen(), s.upstream(), upstream, s.clients(),
                s.opsPerSecond(), hold, s.addedLatencyP50Micros(), s.addedLatencyP99Micros(),
                s.replayErrors() > 0 ? ", " + s.replayErrors() + " replay error(s)" : "");
    }
}
