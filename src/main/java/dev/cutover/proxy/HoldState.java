package dev.cutover.proxy;

import java.time.Instant;

/** Whether the proxy holds writes. */
public sealed interface HoldState {
    /** Requests flow. */
    record Open() implements HoldState {
    }

    /** Writes are held since {@code since}; they go out by themselves at {@code until} unless released or switched. */
    record Holding(Instant since, Instant until) implements HoldState {
    }
}
