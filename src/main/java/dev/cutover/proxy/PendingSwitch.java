package dev.cutover.proxy;

import java.util.Optional;

/**
 * A connection's move to another upstream, waiting for the moment no reply is owed. What a client
 * is told at that moment is decided here: a WATCH taken on the old server makes the next EXEC
 * abort; tracking clients (RESP3, or the RESP2 redirect subscriber) get a flush-everything
 * invalidation, since the new server never saw what they cached.
 */
record PendingSwitch(Upstream to, Optional<Credentials> mapped, Runnable done) {

    void carryOver(ClientPair p) {
        ConnectionState s = p.state;
        if (s.watching) {
            s.abortExec = true;
            s.watching = false;
        }
        if (s.auth != null && mapped.isPresent()) {
            s.auth = mapped.get();
        }
        if (s.subscriptions[ConnectionState.CHANNELS].contains(Resp.INVALIDATE_CHANNEL)) {
            p.appendClient(s.protocol == 3 ? Resp.INVALIDATE_ALL_3 : Resp.INVALIDATE_ALL_2);
        } else if (s.tracking != null && s.protocol == 3) {
            p.appendClient(Resp.INVALIDATE_ALL_3);
        }
    }
}
