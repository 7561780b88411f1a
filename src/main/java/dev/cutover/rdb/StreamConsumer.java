package dev.cutover.rdb;

/** A consumer of a group; {@code activeTimeMs} is -1 when the format (before Redis 7.2) lacks it. */
public record StreamConsumer(byte[] name, long seenTimeMs, long activeTimeMs) {
}
