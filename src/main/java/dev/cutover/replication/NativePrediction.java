package dev.cutover.replication;

/** Whether a server's own replication can carry data from one version to another. */
public sealed interface NativePrediction {
    String reason();

    /** The replica loads what the primary sends. */
    record Works(String reason) implements NativePrediction {
    }

    /** Works only with {@code rdb-version-check relaxed} on the replica (Valkey 8.1+), set by cutover. */
    record NeedsRelaxed(String reason) implements NativePrediction {
    }

    /** Cannot work; psync mode (cutover as the replica, writing commands) is the way. */
    record Impossible(String reason) implements NativePrediction {
    }
}
