package dev.cutover.endpoint;

/** What a later step needs from a server, probed at connect time without changing it. */
public enum Capability {
    CLIENT_PAUSE_WRITE("CLIENT PAUSE WRITE"),
    REPLICAOF("REPLICAOF"),
    PSYNC("SYNC/PSYNC"),
    KEYSPACE_NOTIFICATIONS("keyspace notifications"),
    DUMP_RESTORE("DUMP/RESTORE");

    private final String display;
    Capability(String display) {
        this.display = display;
    }

    public String display() {
        return display;
    }
}
