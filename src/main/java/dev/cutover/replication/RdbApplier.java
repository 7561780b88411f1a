package dev.cutover.replication;

import dev.cutover.endpoint.RdbSupport;
import dev.cutover.rdb.EntryCommands;
import dev.cutover.rdb.RdbEntry;
import dev.cutover.rdb.RdbVisitor;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes what the RDB reader finds into the target: a value's original bytes with
 * {@code RESTORE ... ABSTTL REPLACE} when the target loads that RDB version (no decoding and
 * re-encoding), otherwise ordinary commands in bounded chunks. Databases and functions follow.
 */
final class RdbApplier implements RdbVisitor {
    static final int MAX_ARGS_PER_COMMAND = 512;
    private static final byte[] RESTORE = TargetWriter.bytes("RESTORE");
    private static final byte[] REPLACE = TargetWriter.bytes("REPLACE");
    private static final byte[] ABSTTL = TargetWriter.bytes("ABSTTL");

    private final CommandSink writer;
    private final RdbSupport target;
    private final boolean targetHasFieldTtl;
    private final boolean dropFieldTtl;
    private final StreamFeatures streams;
    private volatile long droppedFieldTtls;
    private volatile long keys;
    private volatile long restored;
    private volatile int version;

    RdbApplier(CommandSink writer, RdbSupport target, boolean targetHasFieldTtl, boolean dropFieldTtl,
               StreamFeatures streams) {
        this.streams = streams;
        this.writer = writer;
        this.target = target;
        this.targetHasFieldTtl = targetHasFieldTtl;
        this.dropFieldTtl = dropFieldTtl;
    }

    @Override
    public void header(int rdbVersion, String magic) {
        version = rdbVersion;
    }

    @Override
    public void selectDb(int db) {
        writer.select(db);
    }

    @Override
    public void function(byte[] code) {
        writer.send(List.of(TargetWriter.bytes("FUNCTION"), TargetWriter.bytes("LOAD"), TargetWriter.bytes("REPLACE"),
                code));
    }

    @Override
    public void entry(RdbEntry read) {
        refuseKeyMetadata(read);
        RdbEntry entry;
        try {
            entry = streams.forTarget(targetHasFieldTtl ? read : withoutFieldTtls(read));
        } catch (StreamFeatures.Refused e) {
            throw new ApplyFailed(e.getMessage());
        }
        writer.select(entry.db());
        if (entry.first() && entry.last() && entry.dumpPayload() != null && target.loads(entry.rdbVersion(), false)) {
            long ttl = Math.max(0, entry.expireAtMs());
            writer.send(List.of(RESTORE, entry.key(), TargetWriter.bytes(Long.toString(ttl)), entry.dumpPayload(),
                    REPLACE, ABSTTL));
            restored++;
        } else {
            try {
                for (List<byte[]> command : EntryCommands.of(entry, MAX_ARGS_PER_COMMAND)) {
                    writer.send(command);
                }
                for (List<byte[]> command : streams.idempotencyCommands(entry)) {
                    writer.send(command);
                }
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                throw new ApplyFailed("cannot write key '" + new String(entry.key(), StandardCharsets.UTF_8)
                        + "' (db" + entry.db() + ") to the target: " + e.getMessage());
            }
        }
        if (entry.last()) {
            keys++;
        }
    }

    /**
     * Redis 8.6's module key metadata is not part of the value's payload cutover builds, so no
     * copy of the key carries it: the key is named and the sync stops.
     */
    static void refuseKeyMetadata(RdbEntry e) {
        if (!e.keyMetadata().isEmpty()) {
            throw new ApplyFailed("key '" + new String(e.key(), StandardCharsets.UTF_8) + "' (db" + e.db()
                    + ") carries module key metadata (class " + e.keyMetadata().stream()
                    .map(dev.cutover.rdb.KeyMetadata::className).collect(java.util.stream.Collectors.joining(", "))
                    + "), which cutover cannot copy: migrate natively between servers that load the module, or"
                    + " remove the metadata first");
        }
    }

    /**
     * For a target without hash-field TTLs: with --drop-field-ttl the fields go without their
     * TTLs (counted); otherwise the key is named and the sync stops (check said so beforehand).
     */
    private RdbEntry withoutFieldTtls(RdbEntry e) {
        if (!(e.value() instanceof dev.cutover.rdb.RdbValue.HashValue hash)
                || hash.fields().stream().allMatch(f -> f.expireAtMs() < 0)) {
            return e;
        }
        if (!dropFieldTtl) {
            throw new ApplyFailed("hash '" + new String(e.key(), StandardCharsets.UTF_8) + "' (db" + e.db()
                    + ") has field TTLs, which the target cannot hold: replicate again with --drop-field-ttl to move"
                    + " its fields without them");
        }
        long dropped = hash.fields().stream().filter(f -> f.expireAtMs() >= 0).count();
        droppedFieldTtls += dropped;
        long now = System.currentTimeMillis();
        List<dev.cutover.rdb.HashField> plain = hash.fields().stream()
                .filter(f -> f.expireAtMs() < 0 || f.expireAtMs() > now) // an expired field stays gone
                .map(f -> new dev.cutover.rdb.HashField(f.field(), f.value(), -1)).toList();
        return new RdbEntry(e.db(), e.key(), e.expireAtMs(), new dev.cutover.rdb.RdbValue.HashValue(plain), e.first(),
                e.last(), null, e.rdbVersion(), e.idleSeconds(), e.lfuFreq(), e.keyMetadata());
    }

    long droppedFieldTtls() {
        return droppedFieldTtls;
    }

    long keys() {
        return keys;
    }

    long restored() {
        return restored;
    }

    int version() {
        return version;
    }

    /** A value the target cannot take (a module it lacks, say): the key is named. */
    static final class ApplyFailed extends RuntimeException {
        ApplyFailed(String message) {
            super(message);
        }
    }
}
