package dev.cutover.replication;

import dev.cutover.CutoverException;
import dev.cutover.Figures;
import dev.cutover.endpoint.CapabilityCheck;
import dev.cutover.endpoint.Capability;
import dev.cutover.endpoint.DbStats;
import dev.cutover.endpoint.Endpoint;
import dev.cutover.endpoint.EndpointSummary;
import dev.cutover.endpoint.ServerInfo;
import dev.cutover.endpoint.VersionFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** {@code check}: compares the two endpoints before anything changes. Reads only. */
public final class Preflight {
    static final double MEMORY_HEADROOM = 1.2;

    private Preflight() {
    }

    /** What replicate is about to do: overwrite the target, in which mode, resuming or not. */
    public record Request(boolean flushTarget, ReplicateOptions.Mode mode, boolean resume, boolean dropFieldTtl,
                          boolean dropStreamIdempotency) {
        public Request(boolean flushTarget, ReplicateOptions.Mode mode, boolean resume, boolean dropFieldTtl) {
            this(flushTarget, mode, resume, dropFieldTtl, false);
        }

        public static Request check(boolean flushTarget) {
            return new Request(flushTarget, ReplicateOptions.Mode.AUTO, false, false);
        }
    }

    public static CheckReport run(Endpoint source, EndpointSummary sourceSummary, Endpoint target,
                                  EndpointSummary targetSummary, Request request) {
        ServerInfo src = sourceSummary.info();
        ServerInfo tgt = targetSummary.info();
        List<CheckItem> items = new ArrayList<>();
        if (source.uri().host().equals(target.uri().host()) && source.uri().port() == target.uri().port()) {
            items.add(CheckItem.fail("distinct servers", "source and target are the same server ("
                    + source.uri().address() + ")", "connect the target to the new server"));
        }
        if (tgt.role().equals("replica")) {
            items.add(CheckItem.fail("target role", "the target is already a replica of "
                    + tgt.raw().getOrDefault("master_host", "?") + ":" + tgt.raw().getOrDefault("master_port", "?"),
                    "end that replication first (REPLICAOF NO ONE) or pick another target"));
        }
        if (src.role().equals("replica")) {
            items.add(CheckItem.warn("source role", "the source is itself a replica",
                    "writes go to its primary; migrate from the primary for a cutover"));
        }
        items.add(request.resume() ? CheckItem.ok("target empty", "resuming: the target holds the copy the last"
                + " psync link left") : targetEmpty(tgt, request.flushTarget()));
        items.add(memory(src, tgt));
        items.add(eviction(tgt));
        items.add(databases(src, target));
        items.add(modules(src, tgt));
        if (src.modules().contains("vectorset") && !tgt.modules().contains("vectorset")) {
            items.add(vectorSets(source, src));
        }
        StreamSurvey streams = streams(source, src, tgt, items);
        long streamKeys = streams.complete() || streams.streams() > 0 ? streams.streams() : NativeCompatibility.UNKNOWN;
        NativePrediction there = NativeCompatibility.predict(src.version(), tgt.version(), src.totalSubexpiry(),
                streamKeys, NativeCompatibility.dataModules(src));
        NativePrediction back = NativeCompatibility.predict(tgt.version(), src.version(), src.totalSubexpiry(),
                streamKeys, NativeCompatibility.dataModules(src));
        items.add((switch (there) {
            case NativePrediction.Works w -> CheckItem.ok("native way there", w.reason());
            case NativePrediction.NeedsRelaxed r -> CheckItem.warn("native way there", r.reason(),
                    "cutover sets it on the target and restores it at stop; lag and status watch for field TTLs");
            case NativePrediction.Impossible i -> CheckItem.fail("native way there",
                    "native replication cannot work: " + i.reason(), "psync mode is the way for this pair");
        }).only(CheckItem.Applies.NATIVE));
        items.add(switch (back) {
            case NativePrediction.Works w -> CheckItem.ok("native way back",
                    "after the cutover the old source can follow the target natively (" + w.reason() + ")");
            case NativePrediction.NeedsRelaxed r -> CheckItem.warn("native way back", r.reason(),
                    "a rollback needs rdb-version-check relaxed on the old source");
            case NativePrediction.Impossible i -> CheckItem.warn("native way back",
                    "no native way back: " + i.reason(), "in psync mode, 'stop --demote-source' makes the old source a"
                            + " replica of this shell, which feeds it the target's writes (keep the shell running);"
                            + " in native mode the old source only refuses writes");
        });
        items.add(replicaOf(targetSummary).only(CheckItem.Applies.NATIVE));
        if (source.uri().password().isPresent()) {
            items.add(CheckItem.ok("source auth", "the source needs a password: cutover sets masterauth"
                    + (source.uri().user().isPresent() ? "/masteruser" : "") + " on the target and restores it at stop")
                    .only(CheckItem.Applies.NATIVE));
        }
        items.addAll(PsyncPreflight.items(sourceSummary, targetSummary, request.dropFieldTtl()));
        idempotency(streams, src, tgt, request.dropStreamIdempotency()).ifPresent(items::add);
        items.add(CommandGap.check(source, target));
        keyMetadata(src).ifPresent(items::add);
        items.add(ReplicaBufferCheck.check(source, src));
        items.addAll(ScanPreflight.items(sourceSummary, targetSummary));
        return choose(items, there, back, request.mode());
    }

    /**
     * Counts the source's streams where they decide something: Redis 8.6 writes them as a type
     * no Valkey loads (either way of native replication), and only Redis 8.6 holds their
     * idempotency state. Elsewhere nothing is read.
     */
    private static StreamSurvey streams(Endpoint source, ServerInfo src, ServerInfo tgt, List<CheckItem> items) {
        boolean type26 = VersionFacts.writesStreamType26(src.version()) || VersionFacts.writesStreamType26(tgt.version());
        boolean idempotency = VersionFacts.hasStreamIdempotency(src.version())
                && !VersionFacts.hasStreamIdempotency(tgt.version());
        if (!type26 && !idempotency) {
            return StreamSurvey.notNeeded();
        }
        try {
            return StreamSurvey.of(source, src, idempotency);
        } catch (CutoverException e) {
            items.add(CheckItem.warn("streams", "cannot count the source's streams (" + e.getMessage() + ")",
                    "cutover assumes there are some: Redis 8.6 writes them in a format no Valkey loads"));
            return new StreamSurvey(0, 0, false);
        }
    }

    /**
     * Redis 8.6 lets modules attach metadata to keys. It is not part of a value's encoding, so
     * psync mode (which copies values) cannot carry it and stops at such a key; native
     * replication and scan mode's RESTORE of the server's own DUMP do carry it. Only a file says
     * which keys have it, so check can only say that some may.
     */
    private static java.util.Optional<CheckItem> keyMetadata(ServerInfo src) {
        List<String> modules = NativeCompatibility.dataModules(src);
        if (!VersionFacts.writesStreamType26(src.version()) || modules.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(CheckItem.warn("key metadata", "the source loads module(s) "
                + String.join(", ", modules) + ", which on " + src.version() + " may attach metadata to keys",
                "psync mode stops at the first such key, naming it; native or scan mode carry it to a target with"
                        + " the same modules").only(CheckItem.Applies.PSYNC));
    }

    /** Streams whose idempotency state only Redis 8.6 can hold: refused unless the operator drops it. */
    private static java.util.Optional<CheckItem> idempotency(StreamSurvey streams, ServerInfo src, ServerInfo tgt,
                                                             boolean drop) {
        if (!VersionFacts.hasStreamIdempotency(src.version()) || VersionFacts.hasStreamIdempotency(tgt.version())) {
            return java.util.Optional.empty();
        }
        if (streams.withIdempotency() == 0) {
            return java.util.Optional.of(streams.complete()
                    ? CheckItem.ok("stream idempotency", "no stream of the source holds producer idempotency state"
                            + " (XADD IDMP), which " + tgt.version() + " could not hold")
                    : CheckItem.warn("stream idempotency", "no idempotency state among the streams looked at, but not"
                            + " every stream was", "replicate stops, naming the key, if it meets some; "
                            + "--drop-stream-idempotency would move such streams without it"));
        }
        String finding = streams.withIdempotency() + " stream(s) of the source hold producer idempotency state"
                + " (XADD IDMP / IDMPAUTO recorded ids, XCFGSET settings), which " + tgt.version() + " cannot hold";
        return java.util.Optional.of(drop
                ? CheckItem.warn("stream idempotency", finding, "--drop-stream-idempotency: the entries, groups and ids"
                        + " move, the recorded ids and settings do not, and IDMP is stripped from XADD in the stream"
                        + " (all counted and reported at stop)")
                : CheckItem.fail("stream idempotency", finding, "keep Redis 8.6 as the target, or accept"
                        + " --drop-stream-idempotency (the streams move, their idempotency state does not)"));
    }

    /** auto: native where nothing native fails, else psync where nothing psync fails. */
    private static CheckReport choose(List<CheckItem> items, NativePrediction there, NativePrediction back,
                                      ReplicateOptions.Mode asked) {
        CheckReport probe = new CheckReport(items, there, back, ReplicateOptions.Mode.NATIVE, "");
        if (asked != ReplicateOptions.Mode.AUTO) {
            return new CheckReport(items, there, back, asked, "asked for with --mode " + lower(asked));
        }
        if (probe.failures(ReplicateOptions.Mode.NATIVE).isEmpty()) {
            return new CheckReport(items, there, back, ReplicateOptions.Mode.NATIVE, "the target accepts REPLICAOF and "
                    + "loads the source's RDB: the servers replicate by themselves (" + there.reason() + ")");
        }
        String notNative = probe.failures(ReplicateOptions.Mode.NATIVE).stream()
                .filter(i -> i.applies() == CheckItem.Applies.NATIVE).map(CheckItem::finding).findFirst().orElse("");
        if (probe.failures(ReplicateOptions.Mode.PSYNC).isEmpty() && !notNative.isEmpty()) {
            return new CheckReport(items, there, back, ReplicateOptions.Mode.PSYNC, "not native: " + notNative
                    + "; the source allows PSYNC, so cutover itself is its replica");
        }
        String notPsync = probe.failures(ReplicateOptions.Mode.PSYNC).stream()
                .filter(i -> i.applies() == CheckItem.Applies.PSYNC).map(CheckItem::finding).findFirst().orElse("");
        if (probe.failures(ReplicateOptions.Mode.SCAN).isEmpty() && !notNative.isEmpty() && !notPsync.isEmpty()) {
            return new CheckReport(items, there, back, ReplicateOptions.Mode.SCAN, "not native: " + notNative
                    + "; not psync: " + notPsync + "; so cutover copies with SCAN + DUMP and follows keyspace events");
        }
        return new CheckReport(items, there, back, ReplicateOptions.Mode.NATIVE, "no mode passes the check");
    }

    private static String lower(ReplicateOptions.Mode mode) {
        return mode.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static CheckItem targetEmpty(ServerInfo tgt, boolean flushTarget) {
        long keys = tgt.totalKeys();
        if (keys == 0) {
            return CheckItem.ok("target empty", "the target holds no keys");
        }
        String where = tgt.keyspace().values().stream().filter(d -> d.keys() > 0)
                .map(d -> Figures.count(d.keys()) + " keys in db" + d.db()).collect(Collectors.joining(", "));
        if (flushTarget) {
            return CheckItem.warn("target empty", "the target is not empty (" + where + ")",
                    "--flush-target accepted: the full sync replaces them");
        }
        return CheckItem.fail("target empty", "target is not empty: " + where, "use --flush-target to overwrite");
    }

    private static CheckItem memory(ServerInfo src, ServerInfo tgt) {
        if (tgt.maxMemory() == 0) {
            return CheckItem.ok("target memory", "the target has no maxmemory limit (source uses "
                    + Figures.bytes(src.usedMemory()) + ")");
        }
        long needed = (long) (src.usedMemory() * MEMORY_HEADROOM);
        if (tgt.maxMemory() >= needed) {
            return CheckItem.ok("target memory", "target maxmemory " + Figures.bytes(tgt.maxMemory())
                    + " covers the source's " + Figures.bytes(src.usedMemory()) + " with 20% headroom");
        }
        return CheckItem.fail("target memory", "target maxmemory " + Figures.bytes(tgt.maxMemory())
                + " is below the source's used memory " + Figures.bytes(src.usedMemory()) + " plus 20% headroom",
                "raise maxmemory on the target to at least " + Figures.bytes(needed));
    }

    private static CheckItem eviction(ServerInfo tgt) {
        if (tgt.evictionPolicy().equals("noeviction")) {
            return CheckItem.ok("target eviction", "the target never evicts (noeviction)");
        }
        return CheckItem.warn("target eviction", "the target evicts keys when full (" + tgt.evictionPolicy() + ")",
                "set maxmemory-policy noeviction on the target for the migration");
    }

    private static CheckItem databases(ServerInfo src, Endpoint target) {
        int highest = src.keyspace().values().stream().filter(d -> d.keys() > 0).mapToInt(DbStats::db).max().orElse(0);
        try {
            Object reply = target.call("CONFIG", "GET", "databases");
            int count = reply instanceof List<?> l && l.size() >= 2 ? Integer.parseInt(String.valueOf(l.get(1))) : -1;
            if (count < 0) {
                return CheckItem.warn("databases", "cannot read the target's databases setting", "check it by hand");
            }
            if (highest < count) {
                return CheckItem.ok("databases", "every used source db (up to db" + highest + ") exists on the target ("
                        + count + " databases)");
            }
            return CheckItem.fail("databases", "the source uses db" + highest + " but the target has only " + count
                    + " databases", "raise 'databases' on the target to at least " + (highest + 1));
        } catch (CutoverException e) {
            return CheckItem.warn("databases", "cannot read the target's databases setting (" + e.getMessage() + ")",
                    "check by hand that it has at least " + (highest + 1));
        }
    }

    private static CheckItem modules(ServerInfo src, ServerInfo tgt) {
        List<String> needed = NativeCompatibility.dataModules(src);
        List<String> missing = needed.stream().filter(m -> !tgt.modules().contains(m)).toList();
        if (missing.isEmpty()) {
            return CheckItem.ok("modules", needed.isEmpty() ? "the source loads no data modules"
                    : "the target has every source module (" + String.join(", ", needed) + ")");
        }
        return CheckItem.fail("modules", "the target lacks source module(s) " + String.join(", ", missing),
                "load them on the target first");
    }

    static final int VECTOR_SCAN_BUDGET = 200;

    /** Redis 8's built-in vector sets exist on no other server: look for keys of that type. */
    private static CheckItem vectorSets(Endpoint source, ServerInfo src) {
        long[] found = {0};
        boolean complete;
        try {
            complete = KeysOfType.scan(source, src, "vectorset", VECTOR_SCAN_BUDGET, key -> found[0]++);
        } catch (CutoverException e) {
            return CheckItem.warn("vector sets", "cannot look for vector-set keys on the source (" + e.getMessage() + ")",
                    "the target cannot load vector sets: make sure there are none");
        }
        if (found[0] > 0) {
            return CheckItem.fail("vector sets", "the source holds " + found[0] + " vector-set key(s), a type only Redis 8 has",
                    "move or drop them first; no other server can load them");
        }
        return complete ? CheckItem.ok("vector sets", "the source holds no vector-set keys")
                : CheckItem.warn("vector sets", "no vector-set keys among the first "
                        + Figures.count(VECTOR_SCAN_BUDGET * 1000L) + " keys scanned per db",
                        "the target cannot load vector sets: make sure there are none");
    }

    private static CheckItem replicaOf(EndpointSummary target) {
        CapabilityCheck c = target.capability(Capability.REPLICAOF);
        return switch (c.status()) {
            case YES -> CheckItem.ok("target REPLICAOF", "the target accepts REPLICAOF (" + c.detail() + ")");
            case NO -> CheckItem.fail("target REPLICAOF", "the target refuses REPLICAOF: " + c.detail(),
                    "managed services often do; psync mode is the way there");
            case UNKNOWN -> CheckItem.warn("target REPLICAOF", c.detail(), "replicate will find out and undo if refused");
        };
    }
}
