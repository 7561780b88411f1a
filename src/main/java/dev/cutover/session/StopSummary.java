package dev.cutover.session;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@code stop} reports: how long each phase took and what moved.
 *
 * @param link what the link itself says at its end (psync: the offset applied, TTLs dropped), or ""
 */
public record StopSummary(Duration syncing, Duration streaming, long bytesStreamed, Map<String, Long> targetKeys,
                          List<String> restoredConfigs, long lagBytesAtStop, boolean wasFrozen,
                          String sourceAfter, String link) {
}
