package dev.cutover.replication;

import java.util.List;

/**
 * The pre-flight checklist for a source/target pair, and what it predicts for native
 * replication both ways (there, and back after {@code stop --demote-source}).
 */
public record CheckReport(List<CheckItem> items, NativePrediction wayThere, NativePrediction wayBack) {
    public boolean passed() {
        return items.stream().noneMatch(i -> i.mark() == CheckItem.Mark.FAIL);
    }

    public List<CheckItem> failures() {
        return items.stream().filter(i -> i.mark() == CheckItem.Mark.FAIL).toList();
    }
}
