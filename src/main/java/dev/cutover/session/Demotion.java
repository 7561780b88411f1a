package dev.cutover.session;

import dev.cutover.endpoint.Endpoint;
import dev.cutover.endpoint.EndpointUri;
import dev.cutover.endpoint.ServerInfo;
import dev.cutover.replication.NativeCompatibility;
import dev.cutover.replication.NativePrediction;
import java.util.List;

/**
 * After a repoint, the old source must never take writes silently again. Where the pair has a
 * native way back it becomes a replica of the target (stray writes get READONLY, and it keeps a
 * current copy for a rollback); otherwise it refuses writes with NOREPLICAS. The caller unpauses.
 */
final class Demotion {
    static final int REFUSE_WRITES_REPLICAS = 1_000_000;

    private Demotion() {
    }

    /** Whether the old source can follow the target natively (become its replica). */
    static boolean hasNativeWayBack(Endpoint source, Endpoint target) {
        ServerInfo src = source.serverInfo();
        ServerInfo tgt = target.serverInfo();
        return NativeCompatibility.predict(tgt.version(), src.version(), tgt.totalSubexpiry(),
                NativeCompatibility.dataModules(tgt)) instanceof NativePrediction.Works;
    }

    /** Demotes {@code source}; returns what became of it, in one sentence. */
    static String demote(Endpoint source, Endpoint target) {
        ServerInfo src = source.serverInfo();
        ServerInfo tgt = target.serverInfo();
        NativePrediction back = NativeCompatibility.predict(tgt.version(), src.version(), tgt.totalSubexpiry(),
                NativeCompatibility.dataModules(tgt));
        String result;
        if (back instanceof NativePrediction.Works) {
            EndpointUri t = target.uri();
            if (t.password().isPresent()) {
                source.call("CONFIG", "SET", "masterauth", t.password().get().reveal());
                if (t.user().isPresent()) {
                    source.call("CONFIG", "SET", "masteruser", t.user().get());
                }
            }
            source.call("REPLICAOF", t.host(), String.valueOf(t.port()));
            result = "the old source is now a replica of the target: stray writes get READONLY, and it keeps a"
                    + " current copy for a rollback";
        } else {
            source.call("CONFIG", "SET", "min-replicas-to-write", String.valueOf(REFUSE_WRITES_REPLICAS));
            // The server enforces it only while min-replicas-max-lag is above zero.
            Object lag = source.call("CONFIG", "GET", "min-replicas-max-lag");
            if (lag instanceof List<?> l && l.size() >= 2 && "0".equals(String.valueOf(l.get(1)))) {
                source.call("CONFIG", "SET", "min-replicas-max-lag", "10");
            }
            result = "the old source refuses writes (NOREPLICAS, via min-replicas-to-write): it cannot follow the"
                    + " target natively (" + back.reason() + ")";
        }
        return result;
    }
}
