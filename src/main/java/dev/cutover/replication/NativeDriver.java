package dev.cutover.replication;

import dev.cutover.endpoint.Endpoint;
import dev.cutover.endpoint.ServerInfo;
import java.util.List;

/** Native mode: the target is the replica; INFO on the target says how far it got. */
public record NativeDriver(Endpoint target, List<ConfigChange> targetChanges) implements LinkDriver {
    public NativeDriver {
        targetChanges = List.copyOf(targetChanges);
    }

    @Override
    public SyncProgress progress() {
        return SyncProgress.from(ServerInfo.parseFields(target.info("replication") + "\n" + target.info("persistence")));
    }

    @Override
    public long appliedOffset() {
        return SyncProgress.number(target.infoFields("replication").get("slave_repl_offset"));
    }

    @Override
    public String problem() {
        return "";
    }

    @Override
    public String stop() {
        target.call("REPLICAOF", "NO", "ONE");
        for (int i = targetChanges.size() - 1; i >= 0; i--) {
            ConfigChange c = targetChanges.get(i);
            target.call("CONFIG", "SET", c.name(), c.previous());
        }
        return "";
    }
}
