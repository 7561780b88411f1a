package dev.cutover.replication;

import java.util.List;

/**
 * The pre-flight checklist for a source/target pair, what it predicts for native replication
 * both ways (there, and back after {@code stop --demote-source}), and the mode replicate would
 * use (auto picks native where it works, else psync) with the reason.
 */
public record CheckReport(List<CheckItem> items, NativePrediction wayThere, NativePrediction wayBack,
                          ReplicateOptions.Mode chosenMode, String why) {
    public CheckReport {
        items = List.copyOf(items);
    }

    /** Nothing fails that matters to the chosen mode. */
    public boolean passed() {
        return failures().isEmpty();
    }

    public List<CheckItem> failures() {
        return failures(chosenMode);
    }

    public List<CheckItem> failures(ReplicateOptions.Mode mode) {
        return items.stream().filter(i -> i.mark() == CheckItem.Mark.FAIL && i.applies().to(mode)).toList();
    }
}
