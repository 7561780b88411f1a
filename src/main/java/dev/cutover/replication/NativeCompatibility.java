package dev.cutover.replication;

import dev.cutover.endpoint.RdbSupport;
import dev.cutover.endpoint.ServerInfo;
import dev.cutover.endpoint.ServerVersion;
import dev.cutover.endpoint.VersionFacts;
import java.util.List;

/** Predicts native replication between two servers from the facts in {@link VersionFacts}. */
public final class NativeCompatibility {
    private NativeCompatibility() {
    }

    /** As {@link #predict(ServerVersion, ServerVersion, long, long, List)} when the stream keys were not counted. */
    public static NativePrediction predict(ServerVersion primary, ServerVersion replica, long fieldTtlKeys,
                                           List<String> modules) {
        return predict(primary, replica, fieldTtlKeys, UNKNOWN, modules);
    }

    /** A count that was not taken: where it matters, the prediction assumes the worst. */
    public static final long UNKNOWN = -1;

    /**
     * @param primary      the server that would send its data
     * @param replica      the server that would load it
     * @param fieldTtlKeys keys with hash-field TTLs in the data that would move
     * @param streamKeys   stream keys in the data that would move, or {@link #UNKNOWN}
     * @param modules      modules whose types may be in the data
     */
    public static NativePrediction predict(ServerVersion primary, ServerVersion replica, long fieldTtlKeys,
                                           long streamKeys, List<String> modules) {
        int sent = VersionFacts.rdbSentToReplica(primary, replica);
        RdbSupport loads = VersionFacts.rdb(replica);
        if (loads.loads(sent, false)) {
            if (fieldTtlKeys > 0 && !VersionFacts.hasHashFieldTtl(replica)) {
                return new NativePrediction.Impossible(replica + " has no hash-field TTLs, and the data holds "
                        + fieldTtlKeys + " key(s) with them");
            }
            if (fieldTtlKeys > 0 && !VersionFacts.rdbHoldsFieldTtls(sent)) {
                return new NativePrediction.Impossible(primary + " sends " + replica + " RDB " + sent
                        + ", which cannot hold hash-field TTLs (the primary fails the sync), and the data holds "
                        + fieldTtlKeys + " key(s) with them");
            }
            return new NativePrediction.Works(replica + " loads the RDB " + sent + " that " + primary + " sends");
        }
        if (loads.relaxable() && primary.isRedis()) {
            if (fieldTtlKeys > 0) {
                return new NativePrediction.Impossible(primary + " sends RDB " + sent + ", which " + replica
                        + " loads only relaxed and only without hash-field TTLs, and the data holds " + fieldTtlKeys
                        + " key(s) with them");
            }
            boolean type26 = VersionFacts.writesStreamType26(primary);
            if (type26 && streamKeys != 0) {
                return new NativePrediction.Impossible(primary + " writes every stream as RDB type 26, which "
                        + replica + " cannot load even relaxed, and " + (streamKeys > 0 ? "the data holds "
                        + streamKeys + " stream key(s)" : "the stream keys were not counted"));
            }
            if (!modules.isEmpty()) {
                return new NativePrediction.Impossible(primary + " sends RDB " + sent + " with modules ("
                        + String.join(", ", modules) + "), which " + replica + " cannot load even relaxed");
            }
            return new NativePrediction.NeedsRelaxed(replica + " loads the RDB " + sent + " that " + primary
                    + " sends only with rdb-version-check relaxed, and only while no key has a hash-field TTL"
                    + (type26 ? " or is a stream" : ""));
        }
        return new NativePrediction.Impossible(replica + " cannot load the RDB " + sent + " that " + primary
                + " sends (it loads " + loads.loadableText() + ")");
    }

    /** Modules built into the server itself: Valkey 9's Lua engine, Redis 8's vector sets. */
    public static final List<String> BUILT_IN_MODULES = List.of("lua", "vectorset");

    /**
     * Modules loaded on top of the server, whose types may be in the data. Built-in ones are
     * checked by what the data holds instead (see {@link Preflight}).
     */
    public static List<String> dataModules(ServerInfo info) {
        return info.modules().stream().filter(m -> BUILT_IN_MODULES.stream().noneMatch(m::equalsIgnoreCase)).toList();
    }
}
