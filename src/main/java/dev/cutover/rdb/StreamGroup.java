package dev.cutover.rdb;

import java.util.List;

/** A consumer group; {@code entriesRead} is -1 when the format lacks it. */
public record StreamGroup(byte[] name, StreamId lastId, long entriesRead, List<PendingEntry> pending,
                          List<StreamConsumer> consumers) {
}
