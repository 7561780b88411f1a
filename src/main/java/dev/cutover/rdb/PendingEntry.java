package dev.cutover.rdb;

/** An entry of a group's pending list; {@code consumer} is null if no consumer owns it. */
public record PendingEntry(StreamId id, long deliveryTimeMs, long deliveryCount, byte[] consumer) {
}
