package dev.cutover.proxy;

import java.time.Duration;

/** The hold ended: how long it lasted, how many held requests went out, and the pause the clients saw. */
public record ReleaseResult(boolean wasHolding, Duration held, long released, PauseWindow pause) {
}
