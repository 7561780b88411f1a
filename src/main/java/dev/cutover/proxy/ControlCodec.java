package dev.cutover.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/**
 * The control protocol's JSON: one object per line each way. Results are written field by field
 * (durations in nanoseconds, instants in epoch milliseconds) and read back into the same records.
 */
public final class ControlCodec {
    static final ObjectMapper JSON = new ObjectMapper();

    private ControlCodec() {
    }

    static ObjectNode object() {
        return JSON.createObjectNode();
    }

    static String line(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a control message: " + e.getOriginalMessage());
        }
    }

    /** The status as one JSON object (also what {@code cutover proxy --json} prints). */
    public static String json(ProxyStatus s) {
        return line(status(s));
    }

    static ObjectNode status(ProxyStatus s) {
        ObjectNode n = object();
        n.put("listen", s.listen()).put("upstream", s.upstream());
        n.set("upstreamState", upstream(s.upstreamState()));
        n.put("clients", s.clients()).put("opsPerSecond", s.opsPerSecond());
        n.set("hold", hold(s.hold()));
        n.put("heldCommands", s.heldCommands()).put("inflightWrites", s.inflightWrites())
                .put("addedLatencyP50Micros", s.addedLatencyP50Micros())
                .put("addedLatencyP99Micros", s.addedLatencyP99Micros()).put("replayErrors", s.replayErrors());
        n.put("io", s.io()).put("bufferedBytes", s.bufferedBytes()).put("budgetBytes", s.budgetBytes())
                .put("evictedClients", s.evictedClients()).put("loopFailures", s.loopFailures());
        return n;
    }

    static ProxyStatus status(JsonNode n) {
        return new ProxyStatus(n.path("listen").asText(), n.path("upstream").asText(), upstream(n.path("upstreamState")),
                n.path("clients").asInt(), n.path("opsPerSecond").asDouble(), hold(n.path("hold")),
                n.path("heldCommands").asLong(), n.path("inflightWrites").asLong(),
                n.path("addedLatencyP50Micros").asDouble(), n.path("addedLatencyP99Micros").asDouble(),
                n.path("replayErrors").asLong(), n.path("io").asText(), n.path("bufferedBytes").asLong(),
                n.path("budgetBytes").asLong(), n.path("evictedClients").asLong(), n.path("loopFailures").asLong());
    }

    private static ObjectNode upstream(UpstreamState s) {
        ObjectNode n = object().put("address", s.address());
        switch (s) {
            case UpstreamState.Reachable r -> n.put("state", "reachable");
            case UpstreamState.Unknown u -> n.put("state", "unknown");
            case UpstreamState.Unreachable u -> n.put("state", "unreachable").put("reason", u.reason())
                    .put("sinceEpochMs", u.since().toEpochMilli());
        }
        return n;
    }

    private static UpstreamState upstream(JsonNode n) {
        String address = n.path("address").asText();
        return switch (n.path("state").asText()) {
            case "reachable" -> new UpstreamState.Reachable(address);
            case "unreachable" -> new UpstreamState.Unreachable(address, n.path("reason").asText(),
                    Instant.ofEpochMilli(n.path("sinceEpochMs").asLong()));
            default -> new UpstreamState.Unknown(address);
        };
    }

    private static ObjectNode hold(HoldState s) {
        return switch (s) {
            case HoldState.Open o -> object().put("state", "open");
            case HoldState.Holding h -> object().put("state", "holding").put("sinceEpochMs", h.since().toEpochMilli())
                    .put("untilEpochMs", h.until().toEpochMilli());
        };
    }

    private static HoldState hold(JsonNode n) {
        return n.path("state").asText().equals("holding")
                ? new HoldState.Holding(Instant.ofEpochMilli(n.path("sinceEpochMs").asLong()),
                        Instant.ofEpochMilli(n.path("untilEpochMs").asLong()))
                : new HoldState.Open();
    }

    static ObjectNode hold(HoldResult h) {
        return object().put("sinceEpochMs", h.since().toEpochMilli()).put("untilEpochMs", h.until().toEpochMilli())
                .put("waitedNanos", h.waited().toNanos()).put("inflightWrites", h.inflightWrites())
                .put("unblocked", h.unblocked());
    }

    static HoldResult holdResult(JsonNode n) {
        return new HoldResult(Instant.ofEpochMilli(n.path("sinceEpochMs").asLong()),
                Instant.ofEpochMilli(n.path("untilEpochMs").asLong()), Duration.ofNanos(n.path("waitedNanos").asLong()),
                n.path("inflightWrites").asLong(), n.path("unblocked").asInt());
    }

    private static ObjectNode pause(PauseWindow p) {
        return object().put("clients", p.clients()).put("maxNanos", p.max().toNanos()).put("p99Nanos", p.p99().toNanos());
    }

    private static PauseWindow pause(JsonNode n) {
        return new PauseWindow(n.path("clients").asInt(), Duration.ofNanos(n.path("maxNanos").asLong()),
                Duration.ofNanos(n.path("p99Nanos").asLong()));
    }

    static ObjectNode release(ReleaseResult r) {
        ObjectNode n = object().put("wasHolding", r.wasHolding()).put("heldNanos", r.held().toNanos())
                .put("released", r.released());
        n.set("pause", pause(r.pause()));
        return n;
    }

    static ReleaseResult releaseResult(JsonNode n) {
        return new ReleaseResult(n.path("wasHolding").asBoolean(), Duration.ofNanos(n.path("heldNanos").asLong()),
                n.path("released").asLong(), pause(n.path("pause")));
    }

    static ObjectNode switched(SwitchResult s) {
        ObjectNode n = object().put("from", s.from()).put("to", s.to()).put("clients", s.clients())
                .put("preopened", s.preopened()).put("dispatchPausedNanos", s.dispatchPaused().toNanos());
        n.set("pause", pause(s.pause()));
        return n.put("held", s.held()).put("released", s.released()).put("unblocked", s.unblocked())
                .put("replayErrors", s.replayErrors()).put("writesHeldNanos", s.writesHeld().toNanos());
    }

    static SwitchResult switchResult(JsonNode n) {
        return new SwitchResult(n.path("from").asText(), n.path("to").asText(), n.path("clients").asInt(),
                n.path("preopened").asInt(), Duration.ofNanos(n.path("dispatchPausedNanos").asLong()), pause(n.path("pause")), n.path("held").asLong(),
                n.path("released").asLong(), n.path("unblocked").asInt(), n.path("replayErrors").asLong(),
                Duration.ofNanos(n.path("writesHeldNanos").asLong()));
    }
}
