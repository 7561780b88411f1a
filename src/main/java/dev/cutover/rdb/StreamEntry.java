package dev.cutover.rdb;

import java.util.List;

/** One stream entry: its id and its fields and values, alternating. */
public record StreamEntry(StreamId id, List<byte[]> fieldsAndValues) {
}
