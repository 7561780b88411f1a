package dev.cutover.replication;

import dev.cutover.endpoint.RdbSupport;
import dev.cutover.rdb.DumpPayload;
import dev.cutover.rdb.EntryCommands;
import dev.cutover.rdb.RdbEntry;
import dev.cutover.resp.RespError;
import dev.cutover.resp.RespSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies keys from the source to the target as they are now: {@code DUMP} and {@code PTTL}
 * pipelined on the source, then {@code RESTORE ... REPLACE} on the target where it loads the
 * payload's RDB version, else the payload decoded into ordinary commands. A key that is gone is
 * deleted on the target.
 */
final class KeyCopier {
    private static final byte[] RESTORE = TargetWriter.bytes("RESTORE");
    private static final byte[] REPLACE = TargetWriter.bytes("REPLACE");
    private static final byte[] DEL = TargetWriter.bytes("DEL");

    /** Beyond this a value goes as chunked commands, so no single command to the target is huge. */
    static final int MAX_RESTORE_BYTES = 16 * 1024 * 1024;

    private final RespSocket source;
    private final TargetWriter target;
    private final RdbSupport targetRdb;
    private int sourceDb;
    private volatile long copied;
    private volatile long deleted;
    private volatile long decoded;

    private final boolean restores;
    private final TypewiseReader typewise;
    private final StreamFeatures streams;

    /** {@code typewise} null when the source allows DUMP; otherwise keys are read with their type's commands. */
    KeyCopier(RespSocket source, TargetWriter target, RdbSupport targetRdb, boolean restores, TypewiseReader typewise,
              StreamFeatures streams) {
        this.streams = streams;
        this.source = source;
        this.target = target;
        this.targetRdb = targetRdb;
        this.restores = restores;
        this.typewise = typewise;
    }

    /** One SCAN step of {@code db}: returns the next cursor ("0" when the db is done). */
    String scanStep(int db, String cursor, int count) {
        selectSource(db);
        source.output().write("SCAN", cursor, "COUNT", Integer.toString(count));
        source.output().flush();
        Object reply = source.input().readReply();
        if (!(reply instanceof List<?> parts) || parts.size() != 2) {
            throw new IllegalStateException("the source answered SCAN with " + describe(reply));
        }
        List<byte[]> keys = new ArrayList<>();
        for (Object k : (List<?>) parts.get(1)) {
            keys.add((byte[]) k);
        }
        copy(db, keys);
        return new String((byte[]) parts.get(0), StandardCharsets.US_ASCII);
    }

    void copy(int db, List<byte[]> keys) {
        if (keys.isEmpty()) {
            return;
        }
        selectSource(db);
        if (typewise != null) {
            copyTypewise(db, keys);
            return;
        }
        for (byte[] key : keys) {
            source.output().write(List.of(TargetWriter.bytes("DUMP"), key));
            source.output().write(List.of(TargetWriter.bytes("PTTL"), key));
        }
        source.output().flush();
        target.select(db);
        for (byte[] key : keys) {
            Object dump = source.input().readReply();
            Object pttl = source.input().readReply();
            if (dump instanceof RespError e) {
                throw new IllegalStateException("the source refused DUMP of '" + text(key) + "': " + e.message());
            }
            long ttl = pttl instanceof Long l ? l : -1;
            if (dump == null || ttl == -2 || ttl == 0) { // 0: it expires this very millisecond
                target.send(List.of(DEL, key));
                deleted++;
                continue;
            }
            byte[] payload = (byte[]) dump;
            if (restores && payload.length <= MAX_RESTORE_BYTES && targetRdb.loads(DumpPayload.version(payload), false)) {
                target.send(List.of(RESTORE, key, TargetWriter.bytes(Long.toString(Math.max(0, ttl))), payload, REPLACE));
            } else {
                long expireAt = ttl > 0 ? System.currentTimeMillis() + ttl : -1;
                for (RdbEntry read : DumpDecoder.decode(key, payload, expireAt)) {
                    RdbEntry entry = forTarget(read);
                    for (List<byte[]> command : EntryCommands.of(entry, RdbApplier.MAX_ARGS_PER_COMMAND)) {
                        target.send(command);
                    }
                    for (List<byte[]> command : streams.idempotencyCommands(entry)) {
                        target.send(command);
                    }
                }
                decoded++;
            }
            copied++;
        }
    }

    /** What the target can hold of a decoded key; stops the copy, naming the key, where the operator must choose. */
    private RdbEntry forTarget(RdbEntry read) {
        try {
            RdbApplier.refuseKeyMetadata(read);
            return streams.forTarget(read);
        } catch (RdbApplier.ApplyFailed | StreamFeatures.Refused e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private void copyTypewise(int db, List<byte[]> keys) {
        target.select(db);
        for (byte[] key : keys) {
            RdbEntry entry;
            try {
                entry = typewise.read(db, key);
            } catch (IllegalStateException changedWhileRead) {
                continue; // WRONGTYPE or gone mid-read: that change raised an event, which copies it again
            }
            if (entry == null) {
                target.send(List.of(DEL, key));
                deleted++;
                continue;
            }
            for (List<byte[]> command : EntryCommands.of(entry, RdbApplier.MAX_ARGS_PER_COMMAND)) {
                target.send(command);
            }
            decoded++;
            copied++;
        }
    }

    /** Of {@code keys} (found on the target), deletes those the source no longer has. */
    void deleteMissing(int db, List<byte[]> keys) {
        if (keys.isEmpty()) {
            return;
        }
        selectSource(db);
        for (byte[] key : keys) {
            source.output().write(List.of(TargetWriter.bytes("EXISTS"), key));
        }
        source.output().flush();
        target.select(db);
        for (byte[] key : keys) {
            if (Long.valueOf(0).equals(source.input().readReply())) {
                target.send(List.of(DEL, key));
                deleted++;
            }
        }
    }

    private void selectSource(int db) {
        if (db != sourceDb) {
            Object reply = source.call("SELECT", Integer.toString(db));
            if (reply instanceof RespError e) {
                throw new IllegalStateException("the source refused SELECT " + db + ": " + e.message());
            }
            sourceDb = db;
        }
    }

    private static String describe(Object reply) {
        return reply instanceof RespError e ? e.message() : String.valueOf(reply);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    long copied() {
        return copied;
    }

    long deleted() {
        return deleted;
    }

    long decoded() {
        return decoded;
    }
}
