package dev.cutover.proxy;

import java.time.Instant;

/** Whether the proxy can reach the server it forwards to, as its last attempt found. */
public sealed interface UpstreamState {
    String address();

    /** The last connection to it worked. */
    record Reachable(String address) implements UpstreamState {
    }

    /** The last attempt failed (refused, dropped, timed out): clients get an error reply until it is back. */
    record Unreachable(String address, String reason, Instant since) implements UpstreamState {
    }

    /** Not tried yet. */
    record Unknown(String address) implements UpstreamState {
    }
}
