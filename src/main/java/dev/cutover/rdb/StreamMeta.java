package dev.cutover.rdb;

/**
 * What a stream knows beyond its entries. {@code entriesAdded} is -1, and {@code maxDeletedId}
 * and {@code firstId} are null, when the file's format (stream type 15, before Redis 7.0) lacks them.
 */
public record StreamMeta(StreamId lastId, long entriesAdded, StreamId maxDeletedId, StreamId firstId) {
}
