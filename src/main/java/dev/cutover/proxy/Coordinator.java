package dev.cutover.proxy;

import dev.cutover.CutoverException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hold, release and switch, one at a time. A hold stops writes at the proxy (reads flow) and
 * returns once every write already sent has its reply. A switch pauses all dispatch, waits for
 * every reply in flight (ending blocking commands with CLIENT UNBLOCK … TIMEOUT), moves each
 * connection to the new upstream with its state replayed, then lets the held requests go there.
 */
final class Coordinator {
    static final Duration MAX_HOLD = ProxyHandle.MAX_HOLD;
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long UNBLOCK_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * How long a switch (writes held) waits for the connections it opens ahead; those not open by
     * then connect during the pause. A prepare (nothing held) waits longer: 1000 TLS handshakes took
     * about 2 s on two cores.
     */
    private static final long PREOPEN_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final long PREPARE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ProxyEngine engine;
    private Instant holdSince;
    private Instant holdUntil;
    private ScheduledFuture<?> expiry;
    /** The upstream a coming switch was prepared for (connections opened ahead), or null. */
    private Upstream prepared;

    Coordinator(ProxyEngine engine) {
        this.engine = engine;
    }

    synchronized HoldState holdState() {
        return holdSince == null ? new HoldState.Open() : new HoldState.Holding(holdSince, holdUntil);
    }

    synchronized HoldResult hold(Duration max) {
        if (max.isNegative() || max.isZero() || max.compareTo(MAX_HOLD) > 0) {
            throw CutoverException.usage("a hold lasts between 1ms and " + MAX_HOLD.toMinutes() + " minutes, not " + max);
        }
        if (holdSince == null) {
            engine.onLoops(l -> l.holdWrites = true);
            holdSince = Instant.now();
        }
        holdUntil = Instant.now().plus(max);
        if (expiry != null) {
            expiry.cancel(false);
        }
        Instant token = holdSince;
        expiry = engine.timer.schedule(() -> expire(token), max.toMillis(), TimeUnit.MILLISECONDS);
        long start = System.nanoTime();
        long deadline = start + Math.min(max.toNanos(), DRAIN_NANOS);
        long initial = inflightWrites();
        long lastUnblock = 0;
        int unblocked = 0;
        for (long inflight = initial; inflight > 0; inflight = inflightWrites()) {
            long now = System.nanoTime();
            if (now - lastUnblock > UNBLOCK_EVERY_NANOS) {
                unblocked += Unblocker.unblock(engine, engine.upstream, true);
                lastUnblock = now;
            }
            if (now > deadline) {
                release();
                throw CutoverException.failed(inflight + " writes sent before the hold still had no reply after "
                        + Duration.ofNanos(now - start).toMillis() + "ms; the hold was lifted");
            }
            sleep();
        }
        return new HoldResult(holdSince, holdUntil, Duration.ofNanos(System.nanoTime() - start), initial, unblocked);
    }

    private synchronized void expire(Instant token) {
        if (holdSince != null && holdSince.equals(token)) {
            release();
        }
    }

    /**
     * Opens connections to {@code to} ahead of a switch there; see {@link ProxyHandle#prepare}. Waits
     * for them without holding this lock, so status, release and a hold's expiry are not held up.
     */
    int prepare(Upstream to) {
        synchronized (this) {
            if (to.address().equals(engine.upstream.address())) {
                throw CutoverException.precondition("the proxy already forwards to " + to.display());
            }
            prepared = to;
            startPreopen(to);
        }
        return awaitPreopen(PREPARE_NANOS);
    }

    synchronized ReleaseResult release() {
        prepared = null;
        dropPreopened(); // after a switch: any a client did not take over; else nothing moves
        if (expiry != null) {
            expiry.cancel(false);
            expiry = null;
        }
        boolean was = holdSince != null;
        Duration held = was ? Duration.between(holdSince, Instant.now()) : Duration.ZERO;
        holdSince = null;
        holdUntil = null;
        List<EventLoop.Release> parts = engine.onLoops(EventLoop::resume);
        long released = 0;
        List<Long> pauses = new ArrayList<>();
        for (EventLoop.Release r : parts) {
            released += r.commands();
            pauses.addAll(r.pausesNanos());
        }
        return new ReleaseResult(was, held, released, PauseWindow.of(pauses));
    }

    synchronized SwitchResult switchTo(Upstream requested, Optional<Credentials> mapped) {
        Upstream from = engine.upstream;
        // The same server (still at the same address) and trust as prepared: the same object, which the
        // connections opened for it are matched by.
        Upstream to = prepared != null && prepared.uri().equals(requested.uri())
                && prepared.address().equals(requested.address()) && prepared.trust().equals(requested.trust())
                ? prepared : requested;
        if (to.address().equals(from.address())) {
            throw CutoverException.precondition("the proxy already forwards to " + to.display());
        }
        probe(to, mapped);
        prepared = null;
        int preopened;
        long pauseStart;
        int unblocked;
        try {
            if (holdSince == null) { // nothing held yet: the connections open ahead before writes wait, not while
                startPreopen(to);
                awaitPreopen(PREOPEN_NANOS);
                hold(Duration.ofSeconds(30));
            }
            startPreopen(to); // for clients that connected since a prepare (or all, without one)
            preopened = awaitPreopen(PREOPEN_NANOS);
            pauseStart = System.nanoTime();
            engine.onLoops(l -> {
                l.pause();
                return null;
            });
            unblocked = drain(from, pauseStart);
        } catch (RuntimeException e) {
            abandon(); // timed out, refused or interrupted before anything moved
            throw e;
        }
        List<Redirects.Link> redirects = Redirects.find(engine, from);
        mapped.ifPresent(m -> engine.authMap = mapAuth(m));
        engine.upstream = to;
        engine.health.reset(to);
        AtomicInteger waiting = new AtomicInteger();
        int clients = engine.onLoops(l -> {
            List<ClientPair> all = new ArrayList<>(l.pairs());
            waiting.addAndGet(all.size());
            all.forEach(p -> p.switchTo(to, mapped, waiting::decrementAndGet));
            return all.size();
        }).stream().mapToInt(Integer::intValue).sum();
        long deadline = System.nanoTime() + DRAIN_NANOS;
        while (waiting.get() > 0 && System.nanoTime() < deadline) {
            sleep(); // subscribers still reading a message from the old upstream move at its end
        }
        if (waiting.get() > 0) {
            engine.onLoops(l -> {
                new ArrayList<>(l.pairs()).stream().filter(ClientPair::switchPending).forEach(ClientPair::close);
                return null;
            });
        }
        Redirects.remap(engine, to, redirects);
        long switched = System.nanoTime();
        long held = engine.onLoops(l -> l.heldCommands).stream().mapToLong(Long::longValue).sum();
        ReleaseResult released = release();
        long replayErrors = engine.onLoops(l -> l.replayErrors).stream().mapToLong(Long::longValue).sum();
        engine.timer.execute(() -> engine.loadCommands(to));
        return new SwitchResult(from.display(), to.display(), clients, preopened, Duration.ofNanos(switched - pauseStart),
                released.pause(), held, released.released(), unblocked, replayErrors, released.held());
    }

    /** Every credential clients authenticated with (before, and on earlier switches) now maps to {@code to}. */
    private java.util.Map<Credentials, Credentials> mapAuth(Credentials to) {
        java.util.Map<Credentials, Credentials> map = new java.util.HashMap<>();
        engine.authMap.keySet().forEach(k -> map.put(k, to));
        engine.onLoops(l -> l.pairs().stream().map(p -> p.state.auth).filter(java.util.Objects::nonNull).toList())
                .forEach(list -> list.forEach(c -> map.put(c, to)));
        map.remove(to);
        return java.util.Map.copyOf(map);
    }

    /**
     * Opens, while requests still flow, a connection to {@code to} for every client connection
     * (TCP and TLS handshakes take time and, for TLS, CPU: thousands of them would stretch the
     * pause); returns how many are open.
     */
    private void startPreopen(Upstream to) {
        engine.onLoops(l -> {
            l.preopenAll(to);
            return null;
        });
    }

    /** Waits until every connection opened ahead is open or failed, or {@code waitNanos}; returns how many are open. */
    private int awaitPreopen(long waitNanos) {
        long deadline = System.nanoTime() + waitNanos;
        while (System.nanoTime() < deadline && engine.onLoops(EventLoop::preopensSettled).contains(false)) {
            sleep();
        }
        return engine.onLoops(l -> (int) l.pairs().stream().filter(ClientPair::preopenedOpen).count())
                .stream().mapToInt(Integer::intValue).sum();
    }

    private void dropPreopened() {
        engine.onLoops(l -> {
            l.dropPreopened();
            return null;
        });
    }

    /**
     * A switch that fails before anything moved: the connections opened ahead close and the pause
     * ends (writes stay held), also when the caller was interrupted, so reads never stay stalled.
     */
    private void abandon() {
        boolean interrupted = Thread.interrupted();
        try {
            dropPreopened();
            engine.onLoops(EventLoop::resumeReads);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until no connection expects a reply from {@code from}; fails after {@link #DRAIN_NANOS}. */
    private int drain(Upstream from, long start) {
        int unblocked = 0;
        long lastUnblock = 0;
        while (true) {
            int busy = engine.onLoops(l -> (int) l.pairs().stream().filter(p -> !p.drained()).count())
                    .stream().mapToInt(Integer::intValue).sum();
            if (busy == 0) {
                return unblocked;
            }
            long now = System.nanoTime();
            if (now - lastUnblock > UNBLOCK_EVERY_NANOS) {
                unblocked += Unblocker.unblock(engine, from, false);
                lastUnblock = now;
            }
            if (now - start > DRAIN_NANOS) {
                throw CutoverException.precondition(busy + " client connections still waited for replies from "
                        + from.display() + " after " + TimeUnit.NANOSECONDS.toSeconds(DRAIN_NANOS)
                        + "s; nothing was switched and writes are still held (release, or switch again)");
            }
            sleep();
        }
    }

    /**
     * The new upstream must answer; with {@code mapped}, it must accept those credentials. (A PING
     * refused with NOAUTH still proves it is there: the clients authenticate themselves.)
     */
    private static void probe(Upstream to, Optional<Credentials> mapped) {
        try (RespClient client = RespClient.open(to, Duration.ofSeconds(3))) {
            if (mapped.isPresent()) {
                Credentials c = mapped.get();
                Object ok = c.user().isPresent()
                        ? client.call("AUTH", c.user().get(), c.password().reveal())
                        : client.call("AUTH", c.password().reveal());
                if (ok instanceof RespClient.Error e) {
                    throw CutoverException.connection(to.display() + " refused the credentials given for the clients: "
                            + e.message(), null);
                }
            }
            client.call("PING");
        } catch (IOException e) {
            throw CutoverException.connection("cannot reach " + to.display() + ": " + e.getMessage(), e);
        }
    }

    private long inflightWrites() {
        return engine.onLoops(l -> l.inflightWrites).stream().mapToLong(Long::longValue).sum();
    }

    private static void sleep() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CutoverException.Interrupted("interrupted while waiting for replies in flight");
        }
    }
}
