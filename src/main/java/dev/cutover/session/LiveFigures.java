package dev.cutover.session;

/**
 * What the status line shows, from what the session already knows (no server round trip).
 *
 * @param lagBytes       -1 when no replication runs
 * @param lagSeconds     age of the oldest write the target lacks
 * @param freezeLeftSec  -1 when writes are not frozen
 */
public record LiveFigures(String mode, String state, long lagBytes, double lagSeconds, long freezeLeftSec,
                          String link) {
}
