package dev.cutover.replication;

import java.time.Instant;
import java.util.List;

/**
 * The one replication link a session may hold: what it changed on the target (to restore at
 * stop), when it started and reached streaming, and the sampler measuring it.
 */
public record ReplicationLink(ReplicateOptions.Mode mode, String sourceAddress, List<ConfigChange> targetChanges,
                              boolean relaxed, Instant started, long startOffset, OffsetSampler sampler) {
}
