package dev.cutover.rdb;

/**
 * What a stream knows beyond its entries. {@code entriesAdded} is -1, and {@code maxDeletedId}
 * and {@code firstId} are null, when the file's format (stream type 15, before Redis 7.0) lacks them;
 * {@code idempotency} is null before stream type 26 (Redis 8.6) and for every Valkey.
 */
public record StreamMeta(StreamId lastId, long entriesAdded, StreamId maxDeletedId, StreamId firstId,
                         StreamIdempotency idempotency) {

    public StreamMeta(StreamId lastId, long entriesAdded, StreamId maxDeletedId, StreamId firstId) {
        this(lastId, entriesAdded, maxDeletedId, firstId, null);
    }

    /** The same without idempotency state, for a target that cannot hold it. */
    public StreamMeta withoutIdempotency() {
        return new StreamMeta(lastId, entriesAdded, maxDeletedId, firstId, null);
    }
}
