package dev.cutover.session;

import dev.cutover.proxy.ProxyStatus;
import java.util.Locale;

/** The proxy's status and a switch's result in words, shared by the commands and the script twins. */
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
        m.put("io", s.io());
        m.put("bufferedBytes", s.bufferedBytes());
        m.put("budgetBytes", s.budgetBytes());
        m.put("evictedClients", s.evictedClients());
        m.put("loopFailures", s.loopFailures());
        return m;
    }

    /** What a switch did, for repoint's summary: clients moved, the pause they saw, writes released. */
    static String switched(dev.cutover.proxy.SwitchResult r, String target) {
        return String.format(java.util.Locale.ROOT, "the proxy moved %d client connection(s) to %s;"
                        + " write pause max %d ms, p99 %d ms over %d client(s); %d write(s) held and released on the target;"
                        + " dispatch paused %d ms (%d of %d target connection(s) opened before it)%s%s", r.clients(), target,
                r.pause().max().toMillis(), r.pause().p99().toMillis(), r.pause().clients(), r.released(),
                r.dispatchPaused().toMillis(), r.preopened(), r.clients(),
                r.unblocked() > 0 ? "; " + r.unblocked() + " blocking command(s) timed out on the source and retry on the target" : "",
                r.replayErrors() > 0 ? "; " + r.replayErrors() + " REPLAY ERROR(S): the target refused some connection state" : "");
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
                        + " latency p50 %.0f µs p99 %.0f µs%s; buffered %d of %d KiB%s%s; I/O: %s", s.listen(), s.upstream(),
                upstream, s.clients(), s.opsPerSecond(), hold, s.addedLatencyP50Micros(), s.addedLatencyP99Micros(),
                s.replayErrors() > 0 ? ", " + s.replayErrors() + " replay error(s)" : "", s.bufferedBytes() >> 10,
                s.budgetBytes() >> 10,
                s.evictedClients() > 0 ? ", " + s.evictedClients() + " client(s) closed to keep within it" : "",
                s.loopFailures() > 0 ? ", " + s.loopFailures() + " EVENT LOOP FAILURE(S), restarted" : "", s.io());
    }
}
