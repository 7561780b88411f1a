package dev.cutover.proxy;

import dev.cutover.endpoint.Secret;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a client connection has set up on its upstream, so a new upstream connection can be put
 * in the same state: AUTH, HELLO protocol, CLIENT SETNAME, SELECT, READONLY, CLIENT TRACKING,
 * subscriptions, and an open MULTI with its queued commands. Changes are applied when the
 * upstream confirms them ({@link Change}), except the transaction, which is followed as requests
 * go out. Confined to its event loop.
 */
final class ConnectionState {
    static final int CHANNELS = 0;
    static final int PATTERNS = 1;
    static final int SHARD = 2;
    private static final String[] SUBSCRIBE = {"SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE"};

    int protocol = 2;
    Credentials auth;
    byte[] name;
    /** -1: never selected, the upstream URI's database applies. */
    int db = -1;
    boolean readonly;
    /** The arguments after CLIENT TRACKING ON, or null when tracking is off. */
    List<byte[]> tracking;
    /** During a switch: tracking redirects to a connection whose new id is not known yet ({@link Redirects}). */
    boolean trackingDeferred;
    @SuppressWarnings("unchecked")
    final Set<String>[] subscriptions = new Set[] {new LinkedHashSet<>(), new LinkedHashSet<>(), new LinkedHashSet<>()};

    /** CLIENT REPLY OFF, and CLIENT REPLY SKIP's next request: kept by the proxy, never sent upstream. */
    boolean repliesOff;
    boolean skipNext;
    /** The proxy itself authenticated this client ({@link ClientAuth.Password}); never replayed upstream. */
    boolean proxyAuthenticated;
    /** MONITOR was confirmed: a new upstream connection monitors too. */
    boolean monitoring;

    boolean multiOpen;
    boolean multiWrites;
    final List<byte[]> queued = new ArrayList<>();
    final List<Change> queuedChanges = new ArrayList<>();
    boolean watching;
    /** The WATCHed keys were on an upstream this connection has left: its next EXEC must abort. */
    boolean abortExec;

    /** A change to the connection that takes effect when the upstream replies without an error. */
    sealed interface Change {
        void apply(ConnectionState s);
    }

    record Select(int db) implements Change {
        public void apply(ConnectionState s) {
            s.db = db;
        }
    }

    record Auth(Credentials credentials) implements Change {
        public void apply(ConnectionState s) {
            s.auth = credentials;
        }
    }

    record Hello(int protocol, Credentials credentials, byte[] name) implements Change {
        public void apply(ConnectionState s) {
            if (protocol > 0) {
                s.protocol = protocol;
            }
            if (credentials != null) {
                s.auth = credentials;
            }
            if (name != null) {
                s.name = name;
            }
        }
    }

    record SetName(byte[] name) implements Change {
        public void apply(ConnectionState s) {
            s.name = name.length == 0 ? null : name;
        }
    }

    record ReadOnly(boolean on) implements Change {
        public void apply(ConnectionState s) {
            s.readonly = on;
        }
    }

    record Tracking(List<byte[]> args) implements Change {
        public void apply(ConnectionState s) {
            s.tracking = args;
        }
    }

    /** EXEC ran: the changes queued inside the transaction (SELECT) take effect. */
    record Exec(List<Change> changes) implements Change {
        public void apply(ConnectionState s) {
            changes.forEach(c -> c.apply(s));
        }
    }

    record Monitor() implements Change {
        public void apply(ConnectionState s) {
            s.monitoring = true;
        }
    }

    record Reset() implements Change {
        public void apply(ConnectionState s) {
            s.monitoring = false;
            s.protocol = 2;
            s.auth = null;
            s.name = null;
            s.db = -1;
            s.readonly = false;
            s.tracking = null;
            for (Set<String> set : s.subscriptions) {
                set.clear();
            }
            s.subscriptionTotal = 0;
        }
    }

    /** As a client gave them; the user "default" is the same as no user. */
    static Credentials credentials(byte[] user, byte[] password) {
        return new Credentials(Optional.ofNullable(user).map(Resp::latin1).filter(u -> !u.equals("default")),
                Secret.of(Resp.latin1(password)));
    }

    /** Channels, patterns and shard channels subscribed to (kept as a count: read for every reply). */
    private int subscriptionTotal;

    int subscriptionCount() {
        return subscriptionTotal;
    }

    /** The upstream confirmed a (un)subscription of {@code kind}. */
    void subscribed(int kind, String name, boolean on) {
        boolean changed = on ? subscriptions[kind].add(name) : subscriptions[kind].remove(name);
        if (changed) {
            subscriptionTotal += on ? 1 : -1;
        }
    }

    /** Forget the transaction (EXEC, DISCARD, RESET, or the upstream connection was lost). */
    void endTransaction() {
        multiOpen = false;
        multiWrites = false;
        queued.clear();
        queuedChanges.clear();
        watching = false;
    }

    /**
     * The commands that put a new upstream connection in this state, with the replies each gets
     * (subscriptions get one per name). {@code mapped}: credentials to use instead of the
     * client's own AUTH (the target's user for it). The operator's login comes first only when the
     * proxy logs clients in; the database is selected after any AUTH.
     */
    void replay(Upstream target, Optional<Credentials> mapped, Replay out) {
        target.clientLogin().ifPresent(c -> out.command(c, PendingQueue.REPLY, 1));
        Credentials creds = auth == null ? null : mapped.orElse(auth);
        if (protocol == 3) {
            List<byte[]> hello = new ArrayList<>(List.of(Resp.bytes("HELLO"), Resp.bytes("3")));
            if (creds != null) {
                hello.add(Resp.bytes("AUTH"));
                hello.add(Resp.latin1(creds.user().orElse("default")));
                hello.add(Resp.latin1(creds.password().reveal()));
            }
            if (name != null) {
                hello.add(Resp.bytes("SETNAME"));
                hello.add(name);
            }
            out.command(hello, PendingQueue.REPLY, 1);
        } else {
            if (creds != null) {
                List<byte[]> a = new ArrayList<>();
                a.add(Resp.bytes("AUTH"));
                creds.user().ifPresent(u -> a.add(Resp.latin1(u)));
                a.add(Resp.latin1(creds.password().reveal()));
                out.command(a, PendingQueue.REPLY, 1);
            }
            if (name != null) {
                out.command(List.of(Resp.bytes("CLIENT"), Resp.bytes("SETNAME"), name), PendingQueue.REPLY, 1);
            }
        }
        // after the client's own AUTH: a server that requires it refuses SELECT before
        Upstream.select(db >= 0 ? db : target.uri().db()).ifPresent(c -> out.command(c, PendingQueue.REPLY, 1));
        if (readonly) {
            out.command(List.of(Resp.bytes("READONLY")), PendingQueue.REPLY, 1);
        }
        if (tracking != null && !trackingDeferred) {
            List<byte[]> t = new ArrayList<>(List.of(Resp.bytes("CLIENT"), Resp.bytes("TRACKING"), Resp.bytes("ON")));
            t.addAll(tracking);
            out.command(t, PendingQueue.REPLY, 1);
        }
        for (int kind = 0; kind < 3; kind++) {
            if (!subscriptions[kind].isEmpty()) {
                List<byte[]> s = new ArrayList<>();
                s.add(Resp.bytes(SUBSCRIBE[kind]));
                subscriptions[kind].forEach(n -> s.add(Resp.latin1(n)));
                out.command(s, PendingQueue.SUBSCRIPTIONS, s.size() - 1);
            }
        }
        if (monitoring) {
            out.command(List.of(Resp.bytes("MONITOR")), PendingQueue.REPLY, 1);
        }
        if (multiOpen) {
            out.command(List.of(Resp.bytes("MULTI")), PendingQueue.REPLY, 1);
            queued.forEach(q -> out.raw(q));
        }
    }

    /** Where a replay goes: commands, each with the replies the proxy will swallow. */
    interface Replay {
        void command(List<byte[]> args, byte kind, int replies);

        /** A command already in RESP form (a queued transaction command): one reply. */
        void raw(byte[] resp);
    }
}
