package dev.cutover.session;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.Endpoint;
import dev.cutover.freeze.FreezeReport;
import dev.cutover.proxy.HoldState;
import dev.cutover.proxy.ProxyHandle;
import dev.cutover.proxy.SwitchResult;
import dev.cutover.replication.ReplicateOptions;
import dev.cutover.replication.ReplicationLink;
import dev.cutover.route.RepointOutcome;
import dev.cutover.route.RepointVia;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The freeze and the repoint through the cutover proxy: the proxy holds writes (reads flow),
 * the target reaches the frozen offset, a replica target is promoted, and the proxy moves every
 * client connection there and releases the held writes. The migration owns one.
 */
final class ProxyCutover {
    /** What the migration shares with the proxy steps. */
    interface Host {
        Optional<ReplicationLink> link();

        long sourceOffset();

        Endpoint target();

        /** A verify passed since {@code when} (scan mode's gate). */
        boolean verifiedSince(Instant when);

        /** Whether clients were repointed (by any way); {@code mark} records that they now are. */
        boolean repointed();

        void markRepointed();
    }

    /** Writes held in the proxy: until when, and the source offset once the writes in flight landed. */
    private record Hold(Instant until, long frozenOffset, Instant since) {
    }

    private final Host migration;
    private final Clock clock;
    private Hold hold;
    private boolean promotedNotSwitched;

    ProxyCutover(Host migration, Clock clock) {
        this.migration = migration;
        this.clock = clock;
    }

    /** Seconds left of an active hold, or empty. */
    synchronized Optional<Long> remainingSeconds() {
        Instant now = clock.instant();
        return hold != null && now.isBefore(hold.until())
                ? Optional.of(Duration.between(now, hold.until()).toSeconds()) : Optional.empty();
    }

    synchronized boolean holding() {
        return hold != null && !migration.repointed();
    }

    /**
     * {@code freeze-writes --via proxy}: the proxy holds every write command (in order per
     * connection) and answers once the writes already sent have their replies, so the source's
     * offset is final; then waits up to {@code catchUp} for the target to apply it.
     */
    FreezeReport freeze(ProxyHandle proxy, Duration max, Duration catchUp) {
        if (migration.repointed()) {
            throw CutoverException.precondition("clients were already repointed to the target");
        }
        if (!max.isNegative() && !max.isZero() && max.compareTo(ProxyHandle.MAX_HOLD) <= 0) {
            prepareSwitch(proxy); // (a max out of range is the hold's to refuse, with nothing left open)
        }
        dev.cutover.proxy.HoldResult held = proxy.hold(max);
        Instant since = clock.instant();
        synchronized (this) {
            hold = new Hold(held.until(), -1, since); // held from now on, whatever happens next
        }
        long frozenOffset = migration.sourceOffset();
        synchronized (this) {
            hold = new Hold(held.until(), frozenOffset, since);
        }
        CatchUp c = CatchUp.await(migration.link().isPresent(),
                () -> migration.link().map(l -> l.driver().behind(frozenOffset)).orElse(0L), catchUp);
        return new FreezeReport(frozenOffset, c.caughtUpIn(), c.behind(), Duration.ZERO, max);
    }

    /**
     * Before writes are held: the proxy opens its connections to the target now, so the repoint's
     * pause holds no TCP or TLS handshakes. Not needed for correctness: if it fails, the repoint
     * connects during its pause (and says how many it had to).
     */
    private void prepareSwitch(ProxyHandle proxy) {
        Endpoint target = migration.target();
        try {
            proxy.prepare(target.uri().withSecret(), dev.cutover.proxy.UpstreamTrust.of(target.options()));
        } catch (CutoverException.Interrupted e) {
            throw e;
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CutoverException.Interrupted("freeze-writes interrupted before writes were held; nothing is held");
            }
            // the switch opens them itself
        }
    }

    /** {@code unfreeze} of a proxy hold: the held writes go to the source; empty when none is held. */
    Optional<Duration> release(Optional<ProxyHandle> proxy, boolean force) {
        synchronized (this) {
            if (hold == null || migration.repointed()) {
                return Optional.empty();
            }
            if (promotedNotSwitched && !force) {
                throw CutoverException.precondition("the target was promoted for a switch that did not happen: releasing"
                        + " the held writes sends them to the source, which the target no longer follows. Retry 'repoint"
                        + " --via proxy', or unfreeze --force and replicate again");
            }
        }
        Duration held = proxy.orElseThrow(() -> CutoverException.precondition("writes are held in a proxy this session"
                + " no longer drives: attach to it again ('connect proxy') to release them")).release().held();
        synchronized (this) {
            hold = null;
            promotedNotSwitched = false;
        }
        return Optional.of(held);
    }

    /** {@code repoint --via proxy}. */
    RepointOutcome repoint(ProxyHandle proxy, RepointVia.Proxy via, boolean force) {
        if (migration.repointed()) {
            throw CutoverException.precondition("clients were already repointed to the target");
        }
        Hold current;
        synchronized (this) {
            current = hold;
        }
        List<String> missing = missing(proxy, current);
        if (!missing.isEmpty() && !force) {
            throw CutoverException.precondition("repoint refused, clients were not moved: " + String.join("; ", missing)
                    + ". Writes made now would be lost; --force overrides");
        }
        Endpoint target = migration.target();
        boolean promoted = false;
        if (!target.infoFields("replication").getOrDefault("role", "master").equals("master")) {
            // A native target, or after a rollback the old source fed by this shell: it must take
            // writes before the first client arrives.
            target.call("REPLICAOF", "NO", "ONE");
            promoted = true;
        }
        SwitchResult r;
        try {
            // The target's own trust (--cacert/--insecure of 'connect target') for the proxy's TLS to it.
            r = proxy.switchTo(target.uri().withSecret(), via.clientCredentials(),
                    dev.cutover.proxy.UpstreamTrust.of(target.options()));
        } catch (RuntimeException e) {
            synchronized (this) {
                promotedNotSwitched = promoted;
            }
            throw CutoverException.failed("the proxy did not move its clients (" + e.getMessage() + ")"
                    + (promoted ? "; the target was already promoted and no longer follows the source" : "")
                    + ". Writes stay held in the proxy until its max: retry 'repoint --via proxy' now"
                    + (promoted ? ", or 'unfreeze --force' and replicate again" : ", or 'unfreeze'"), e);
        }
        migration.markRepointed();
        synchronized (this) {
            hold = null;
            promotedNotSwitched = false;
        }
        if (current != null && current.frozenOffset() >= 0 && missing.isEmpty()) {
            long after = migration.sourceOffset();
            if (after != current.frozenOffset()) {
                throw CutoverException.failed("clients were moved, but the source took writes meanwhile (offset "
                        + current.frozenOffset() + " → " + after + "): those writes are on the source only; compare with"
                        + " 'verify --full' and copy what is missing before 'stop --demote-source'");
            }
        }
        String summary = ProxyStatusText.switched(r, target.uri().redacted());
        return new RepointOutcome(missing.isEmpty() ? summary : "FORCED despite: " + String.join("; ", missing) + ". "
                + summary, "");
    }

    /** What stands between the hold and a safe switch. */
    private List<String> missing(ProxyHandle proxy, Hold current) {
        List<String> missing = new ArrayList<>();
        ReplicationLink link = migration.link().orElse(null);
        if (link == null) {
            missing.add("replication is not running");
        }
        // The proxy's own word on its hold (its clock, not ours), with a margin for the switch itself.
        boolean proxyHolding = proxy.status().hold() instanceof HoldState.Holding h
                && h.until().isAfter(Instant.now().plusSeconds(2));
        if (current == null || !proxyHolding) {
            missing.add(current == null ? "writes are not held in the proxy (run freeze-writes --via proxy)"
                    : "the proxy's hold has lapsed or ends within 2s (its max): unfreeze, then freeze-writes --via proxy"
                            + " again");
            return missing;
        }
        long sourceOffset = migration.sourceOffset();
        if (sourceOffset != current.frozenOffset()) {
            missing.add("the source moved past the frozen offset " + current.frozenOffset() + " (now " + sourceOffset
                    + "): something writes to it around the proxy");
        }
        if (link != null) {
            long behind = link.driver().behind(current.frozenOffset());
            if (behind != 0) {
                missing.add((behind == Long.MAX_VALUE ? "the copy cannot prove it is complete" : behind
                        + (link.mode() == ReplicateOptions.Mode.SCAN ? " key(s)" : " byte(s)") + " still to apply")
                        + " (lag is not zero)");
            }
            if (link.mode() == ReplicateOptions.Mode.SCAN && !migration.verifiedSince(current.since())) {
                missing.add("scan mode has no offsets to prove the copy: run 'verify' (it must pass) after"
                        + " freeze-writes");
            }
        }
        return missing;
    }
}
