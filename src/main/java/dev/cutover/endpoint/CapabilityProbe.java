package dev.cutover.endpoint;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.CapabilityCheck.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds out what a server allows without changing anything: COMMAND INFO tells whether a
 * command exists under its own name (not renamed or disabled), ACL DRYRUN whether the
 * connected user may run it, CONFIG GET what a setting is.
 */
public final class CapabilityProbe {
    private final Endpoint endpoint;
    private final ServerVersion version;
    private Optional<String> user;
    private boolean aclUsable = true;

    public CapabilityProbe(Endpoint endpoint, ServerVersion version) {
        this.endpoint = endpoint;
        this.version = version;
    }

    public List<CapabilityCheck> probeAll() {
        user = whoami();
        List<CapabilityCheck> checks = new ArrayList<>();
        checks.add(clientPauseWrite());
        checks.add(command(Capability.REPLICAOF, "REPLICAOF", "REPLICAOF", "NO", "ONE"));
        checks.add(command(Capability.PSYNC, "PSYNC", "PSYNC", "?", "-1"));
        checks.add(keyspaceNotifications());
        checks.add(dumpRestore());
        return checks;
    }

    private CapabilityCheck clientPauseWrite() {
        if (!VersionFacts.hasClientPauseWrite(version)) {
            return new CapabilityCheck(Capability.CLIENT_PAUSE_WRITE, Status.NO,
                    version + " predates CLIENT PAUSE WRITE (Redis 6.2)");
        }
        return command(Capability.CLIENT_PAUSE_WRITE, "CLIENT", "CLIENT", "PAUSE", "1", "WRITE");
    }

    private CapabilityCheck dumpRestore() {
        CapabilityCheck dump = command(Capability.DUMP_RESTORE, "DUMP", "DUMP", "cutover:probe");
        if (dump.status() != Status.YES) {
            return dump;
        }
        return command(Capability.DUMP_RESTORE, "RESTORE", "RESTORE", "cutover:probe", "0", "x");
    }

    private CapabilityCheck keyspaceNotifications() {
        try {
            Object reply = endpoint.call("CONFIG", "GET", "notify-keyspace-events");
            String value = reply instanceof List<?> l && l.size() >= 2 ? String.valueOf(l.get(1)) : "";
            if (!value.isEmpty()) {
                return new CapabilityCheck(Capability.KEYSPACE_NOTIFICATIONS, Status.YES, "on (" + value + ")");
            }
            CapabilityCheck set = command(Capability.KEYSPACE_NOTIFICATIONS, "CONFIG", "CONFIG", "SET",
                    "notify-keyspace-events", "KEA");
            return new CapabilityCheck(Capability.KEYSPACE_NOTIFICATIONS, set.status(),
                    set.status() == Status.YES ? "off; CONFIG SET may turn it on" : "off; " + set.detail());
        } catch (CutoverException e) {
            return new CapabilityCheck(Capability.KEYSPACE_NOTIFICATIONS, Status.UNKNOWN,
                    "CONFIG GET refused: " + e.getMessage());
        }
    }

    /** Exists under its own name, and the ACL lets this user run {@code dryRun}. */
    private CapabilityCheck command(Capability capability, String name, String... dryRun) {
        Object info;
        try {
            info = endpoint.call("COMMAND", "INFO", name);
        } catch (CutoverException e) {
            return new CapabilityCheck(capability, Status.UNKNOWN, "COMMAND INFO refused");
        }
        if (!(info instanceof List<?> list) || list.isEmpty() || list.getFirst() == null) {
            return new CapabilityCheck(capability, Status.NO, name + " is renamed or disabled on this server");
        }
        if (user.isEmpty() || !aclUsable) {
            return new CapabilityCheck(capability, Status.UNKNOWN,
                    name + " exists; cannot ask the ACL whether this user may run it");
        }
        List<String> args = new ArrayList<>(List.of("ACL", "DRYRUN", user.get()));
        args.addAll(List.of(dryRun));
        try {
            Object reply = endpoint.call(args);
            if ("OK".equals(reply)) {
                return new CapabilityCheck(capability, Status.YES, name + " exists and the ACL allows it");
            }
            return new CapabilityCheck(capability, Status.NO, "the ACL denies it: " + reply);
        } catch (CutoverException e) {
            aclUsable = false;
            return new CapabilityCheck(capability, Status.UNKNOWN,
                    name + " exists; cannot ask the ACL whether this user may run it");
        }
    }

    private Optional<String> whoami() {
        if (!version.isValkey() && !version.atLeast(7, 0)) {
            return Optional.empty(); // ACL DRYRUN arrived in Redis 7.0.
        }
        try {
            return Optional.ofNullable(endpoint.call("ACL", "WHOAMI")).map(Object::toString);
        } catch (CutoverException e) {
            return Optional.empty();
        }
    }
}
