package dev.cutover.proxy;

import java.time.Duration;

/**
 * Every client connection now goes to {@code to}. {@code dispatchPaused}: how long nothing at all
 * was forwarded (waiting for replies in flight, then moving the connections); {@code pause}: the
 * write pause each client saw, hold included; {@code held}/{@code released}: requests held and
 * then sent to the new upstream; {@code unblocked}: blocking commands ended with a timeout reply
 * on the old upstream so their retry goes to the new one; {@code replayErrors}: state that the new
 * upstream refused to take (AUTH, SELECT, …) — zero when all is well; {@code preopened}: client
 * connections whose new upstream connection was open before the pause (the others connected during it);
 * {@code writesHeld}: from the start of the hold (the freeze, or this switch when nothing was held) to
 * its release.
 */
public record SwitchResult(String from, String to, int clients, int preopened, Duration dispatchPaused, PauseWindow pause,
                           long held, long released, int unblocked, long replayErrors, Duration writesHeld) {
}
