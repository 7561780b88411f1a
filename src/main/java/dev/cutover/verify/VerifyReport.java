package dev.cutover.verify;

import java.util.List;
import java.util.Map;

/**
 * What verify found.
 *
 * @param keyCounts  per db: [source keys, target keys]
 * @param checked    keys compared one by one
 * @param shown      the first differences in full
 * @param counts     how many differences of each kind in all
 */
public record VerifyReport(boolean full, Map<String, long[]> keyCounts, long checked, List<Difference> shown,
                           Map<Difference.Kind, Long> counts, boolean sourceFrozen) {
    public boolean equal() {
        return counts.values().stream().mapToLong(Long::longValue).sum() == 0
                && keyCounts.values().stream().allMatch(c -> c[0] == c[1]);
    }

    public long differences() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
