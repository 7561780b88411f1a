package dev.cutover.endpoint;

/** What a later step needs from a server, probed at connect time without changing it. */
public enum Capability {
    CLIENT_PAUSE_WRITE("CLIENT PAUSE WRITE", "freeze-writes --via server"),
    REPLICAOF("REPLICAOF", "replicate --mode native (on the target)"),
    PSYNC("SYNC/PSYNC", "replicate --mode psync (on the source)"),
    KEYSPACE_NOTIFICATIONS("keyspace notifications", "replicate --mode scan (on the source)"),
    DUMP_RESTORE("DUMP/RESTORE", "copying keys by payload");

    private final String display;
    private final String neededBy;

    Capability(String display, String neededBy) {
        this.display = display;
        this.neededBy = neededBy;
    }

    public String display() {
        return display;
    }

    public String neededBy() {
        return neededBy;
    }
}
