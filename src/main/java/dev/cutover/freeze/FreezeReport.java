package dev.cutover.freeze;

import java.time.Duration;

/**
 * What freeze-writes reports: the offset writes stopped at and how the target caught up.
 *
 * @param caughtUpIn  how long the target took to apply exactly the frozen offset, or null if it had not yet
 * @param behindBytes bytes the target still lacked when freeze-writes returned
 */
public record FreezeReport(long frozenOffset, Duration caughtUpIn, long behindBytes, Duration lease, Duration max) {
}
