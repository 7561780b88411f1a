package dev.cutover.replication;

import java.util.Map;

/**
 * How far the target is behind the source.
 *
 * @param bytes        source master_repl_offset minus the offset the target has applied
 * @param seconds      age of the oldest source write the target has not applied (0 when caught up)
 * @param sourceKeys   keys per db on the source
 * @param targetKeys   keys per db on the target
 * @param fieldTtlKeys keys with hash-field TTLs on the source (breaks a relaxed native link's next full sync)
 * @param lastError    the last problem seen by the session's sampler, or ""
 * @param detail       what the figures mean where the mode has no offsets (scan mode), or ""
 */
public record Lag(long bytes, double seconds, long sourceOffset, long targetOffset, String state, String link,
                  Map<String, Long> sourceKeys, Map<String, Long> targetKeys, long fieldTtlKeys, boolean relaxed,
                  String lastError, String detail) {
}
