package dev.cutover.replication;

import java.time.Instant;
import java.util.List;

/**
 * The one replication link a session may hold: what it changed on the target (to restore at
 * stop), when it started, the sampler measuring it and the driver moving the data.
 */
public record ReplicationLink(ReplicateOptions.Mode mode, String sourceAddress, List<ConfigChange> targetChanges,
                              boolean relaxed, Instant started, long startOffset, OffsetSampler sampler,
                              LinkDriver driver) {
}
