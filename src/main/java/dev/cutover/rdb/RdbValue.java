package dev.cutover.rdb;

import java.util.List;

/** The decoded value (or one part of it) of a key read from an RDB. */
public sealed interface RdbValue {
    record StringValue(byte[] value) implements RdbValue {
    }

    record ListValue(List<byte[]> elements) implements RdbValue {
    }

    record SetValue(List<byte[]> members) implements RdbValue {
    }

    record SortedSetValue(List<ScoredMember> members) implements RdbValue {
    }

    record HashValue(List<HashField> fields) implements RdbValue {
    }

    /** Entries in id order; the meta and groups come with the last part only. */
    record StreamValue(List<StreamEntry> entries, StreamMeta meta, List<StreamGroup> groups) implements RdbValue {
    }

    /** A module's value: only its DUMP payload can move it, and only to a server with the module. */
    record ModuleValue(String moduleName, long moduleId) implements RdbValue {
    }

    /** The type's name as TYPE reports it ("string", "list", ..., or the module's name). */
    default String typeName() {
        return switch (this) {
            case StringValue v -> "string";
            case ListValue v -> "list";
            case SetValue v -> "set";
            case SortedSetValue v -> "zset";
            case HashValue v -> "hash";
            case StreamValue v -> "stream";
            case ModuleValue v -> v.moduleName();
        };
    }
}
