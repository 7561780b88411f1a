package dev.cutover.replication;

import java.util.Map;

/**
 * Where a native full sync stands, read from the target's INFO replication and persistence.
 *
 * @param bytesTotal  -1 when the source streams the RDB diskless (size unknown in advance)
 * @param keysWritten psync mode: keys of the full sync written to the target so far (-1 in native mode)
 * @param keysTotal   psync mode: keys the source held when the sync began (-1 when unknown)
 */
public record SyncProgress(Phase phase, long bytesRead, long bytesTotal, double loadedPercent, String linkStatus,
                           long linkDownSeconds, long appliedOffset, long keysWritten, long keysTotal) {
    public enum Phase { CONNECTING, TRANSFER, LOADING, STREAMING }

    public static SyncProgress from(Map<String, String> info) {
        String link = info.getOrDefault("master_link_status", "down");
        boolean syncing = "1".equals(info.get("master_sync_in_progress"));
        boolean loading = "1".equals(info.get("loading"));
        long read = number(info.get("master_sync_read_bytes"));
        long total = info.containsKey("master_sync_total_bytes") ? number(info.get("master_sync_total_bytes")) : -1;
        double percent = info.containsKey("loading_loaded_perc") ? Double.parseDouble(info.get("loading_loaded_perc")) : 0;
        Phase phase;
        if (loading) {
            phase = Phase.LOADING;
        } else if (syncing) {
            phase = Phase.TRANSFER;
        } else if (link.equals("up")) {
            phase = Phase.STREAMING;
        } else {
            phase = Phase.CONNECTING;
        }
        return new SyncProgress(phase, read, total, percent, link, number(info.get("master_link_down_since_seconds")),
                number(info.get("slave_repl_offset")), -1, -1);
    }

    /** A single figure for the prompt: transfer is the first half, loading the second. */
    public int percent() {
        return switch (phase) {
            case CONNECTING -> 0;
            case TRANSFER -> bytesTotal > 0 ? (int) Math.min(50, 50.0 * bytesRead / bytesTotal) : 25;
            case LOADING -> 50 + (int) Math.min(49, loadedPercent / 2);
            case STREAMING -> 100;
        };
    }

    static long number(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
