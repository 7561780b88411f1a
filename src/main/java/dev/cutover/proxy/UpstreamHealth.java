package dev.cutover.proxy;

import java.time.Instant;

/** The upstream's reachability as the event loops and the background probe last saw it. */
final class UpstreamHealth {
    private volatile UpstreamState state;

    UpstreamHealth(Upstream upstream) {
        state = new UpstreamState.Unknown(upstream.display());
    }

    void up(Upstream upstream) {
        if (!(state instanceof UpstreamState.Reachable r && r.address().equals(upstream.display()))) {
            state = new UpstreamState.Reachable(upstream.display());
        }
    }

    void down(Upstream upstream, String reason) {
        if (!(state instanceof UpstreamState.Unreachable u && u.address().equals(upstream.display()))) {
            state = new UpstreamState.Unreachable(upstream.display(), reason, Instant.now());
        }
    }

    void reset(Upstream upstream) {
        state = new UpstreamState.Unknown(upstream.display());
    }

    UpstreamState state() {
        return state;
    }
}
