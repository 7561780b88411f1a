package dev.cutover.replication;

import dev.cutover.endpoint.ServerVersion;
import dev.cutover.endpoint.VersionFacts;
import dev.cutover.rdb.RdbEntry;
import dev.cutover.rdb.RdbValue;
import dev.cutover.rdb.StreamIdempotency;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the target holds of the stream features Redis 8.2-8.6 added, and whether the operator
 * lets the one nothing else can hold go: a stream's producer idempotency state (Redis 8.6).
 * Counts what it lets go, for the stop's summary.
 *
 * <p>{@code targetHasIdempotency}: the target keeps recorded idempotent ids (Redis 8.6);
 * {@code targetHasDeletePolicies}: it has XDELEX, XACKDEL and KEEPREF/DELREF/ACKED (Redis 8.2+);
 * {@code dropIdempotency}: --drop-stream-idempotency was given.
 */
final class StreamFeatures {
    private final boolean targetHasIdempotency;
    private final boolean targetHasDeletePolicies;
    private final boolean dropIdempotency;
    /** Per stream ("db:key"), the recorded ids its last copy dropped: scan mode copies a key again on each change. */
    private final java.util.Map<String, Long> dropped = new java.util.concurrent.ConcurrentHashMap<>();

    StreamFeatures(boolean targetHasIdempotency, boolean targetHasDeletePolicies, boolean dropIdempotency) {
        this.targetHasIdempotency = targetHasIdempotency;
        this.targetHasDeletePolicies = targetHasDeletePolicies;
        this.dropIdempotency = dropIdempotency;
    }

    boolean targetHasIdempotency() {
        return targetHasIdempotency;
    }

    boolean targetHasDeletePolicies() {
        return targetHasDeletePolicies;
    }

    boolean dropIdempotency() {
        return dropIdempotency;
    }

    static StreamFeatures of(ServerVersion target, boolean dropIdempotency) {
        return new StreamFeatures(VersionFacts.hasStreamIdempotency(target),
                target.isRedis() && target.atLeast(8, 2), dropIdempotency);
    }

    /**
     * The entry as the target can hold it: unchanged, or a stream without its idempotency state
     * (counted) when the operator accepted that; otherwise the key is named and the link stops.
     *
     * @throws Refused when the stream holds idempotency state the target cannot keep and no drop was accepted
     */
    RdbEntry forTarget(RdbEntry e) {
        if (targetHasIdempotency || !(e.value() instanceof RdbValue.StreamValue stream) || stream.meta() == null
                || stream.meta().idempotency() == null) {
            return e;
        }
        StreamIdempotency state = stream.meta().idempotency();
        if (state.holdsState()) {
            if (!dropIdempotency) {
                throw new Refused("stream '" + new String(e.key(), StandardCharsets.UTF_8) + "' (db" + e.db()
                        + ") holds producer idempotency state (" + state.recordedIds() + " recorded id(s) of "
                        + state.producers().size() + " producer(s)), which the target cannot hold: replicate again"
                        + " with --drop-stream-idempotency to move the stream without it");
            }
            dropped.put(e.db() + ":" + new String(e.key(), StandardCharsets.ISO_8859_1), state.recordedIds());
        }
        RdbValue.StreamValue plain = new RdbValue.StreamValue(stream.entries(), stream.meta().withoutIdempotency(),
                stream.groups());
        return new RdbEntry(e.db(), e.key(), e.expireAtMs(), plain, e.first(), e.last(), null, e.rdbVersion(),
                e.idleSeconds(), e.lfuFreq(), e.keyMetadata());
    }

    /**
     * For a target that keeps idempotency and a stream rebuilt from commands (too big for
     * RESTORE): its settings (XCFGSET, which clears recorded ids, so first) and each recorded id
     * (XIDMPRECORD, Redis 8.6.2+). The all-time counters have no command: iids-added counts the
     * recorded ids, iids-duplicates starts again from 0.
     */
    List<List<byte[]>> idempotencyCommands(RdbEntry e) {
        if (!targetHasIdempotency || !e.last() || !(e.value() instanceof RdbValue.StreamValue stream)
                || stream.meta() == null || stream.meta().idempotency() == null) {
            return List.of();
        }
        StreamIdempotency state = stream.meta().idempotency();
        List<List<byte[]>> out = new ArrayList<>();
        out.add(List.of(ascii("XCFGSET"), e.key(), ascii("IDMP-DURATION"), ascii(Long.toString(state.durationSeconds())),
                ascii("IDMP-MAXSIZE"), ascii(Long.toString(state.maxEntries()))));
        for (StreamIdempotency.Producer p : state.producers()) {
            for (StreamIdempotency.Recorded r : p.recorded()) {
                out.add(List.of(ascii("XIDMPRECORD"), e.key(), p.pid(), r.iid(), ascii(r.entryId().toString())));
            }
        }
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** What was let go, for the stop's summary; empty when nothing was. */
    String summary(long droppedCommands) {
        if (dropped.isEmpty() && droppedCommands == 0) {
            return "";
        }
        long ids = dropped.values().stream().mapToLong(Long::longValue).sum();
        return "stream idempotency dropped (--drop-stream-idempotency): " + ids + " recorded id(s) of "
                + dropped.size() + " stream(s)" + (droppedCommands > 0 ? ", " + droppedCommands
                + " command(s) of the stream stripped of it or dropped" : "") + "; ";
    }

    /** The target cannot take an entry as it is, and the operator did not accept a drop. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
