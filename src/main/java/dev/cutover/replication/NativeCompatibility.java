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

    /**
     * @param primary     the server that would send its data
     * @param replica     the server that would load it
     * @param fieldTtlKeys keys with hash-field TTLs in the data that would move
     * @param modules     modules whose types may be in the data
     */
    public static NativePrediction predict(ServerVersion primary, ServerVersion replica, long fieldTtlKeys,
                                           List<String> modules) {
        int sent = VersionFacts.rdbSentToReplica(primary, replica);
        RdbSupport loads = VersionFacts.rdb(replica);
        if (loads.loads(sent, false)) {
            if (fieldTtlKeys > 0 && !VersionFacts.hasHashFieldTtl(replica)) {
                return new NativePrediction.Impossible(replica + " has no hash-field TTLs, and the data holds "
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
            if (!modules.isEmpty()) {
                return new NativePrediction.Impossible(primary + " sends RDB " + sent + " with modules ("
                        + String.join(", ", modules) + "), which " + replica + " cannot load even relaxed");
            }
            return new NativePrediction.NeedsRelaxed(replica + " loads the RDB " + sent + " that " + primary
                    + " sends only with rdb-version-check relaxed, and only while no key has a hash-field TTL");
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
