package dev.cutover.rdb;

/**
 * One key, or one part of a large key, read from an RDB.
 *
 * @param expireAtMs  the key's expiry (unix ms), -1 for none
 * @param first       this part starts the key (rebuild from scratch)
 * @param last        this part ends the key (the expiry and stream groups apply now)
 * @param dumpPayload what DUMP would return for the value, for {@code RESTORE ... ABSTTL REPLACE};
 *                    null unless the key came in one part whose encoding fit the payload limit
 * @param rdbVersion  the file's RDB version (80 for VALKEY080), as stamped into the payload
 * @param idleSeconds the LRU idle time the file carried, -1 for none
 * @param lfuFreq     the LFU counter the file carried, -1 for none
 * @param keyMetadata the module metadata classes attached to the key (Redis 8.6, opcode 243), whose
 *                    data is not kept: the dump payload does not carry them, so moving the key drops them
 */
public record RdbEntry(int db, byte[] key, long expireAtMs, RdbValue value, boolean first, boolean last,
                       byte[] dumpPayload, int rdbVersion, long idleSeconds, int lfuFreq,
                       java.util.List<KeyMetadata> keyMetadata) {

    public RdbEntry {
        keyMetadata = java.util.List.copyOf(java.util.Objects.requireNonNull(keyMetadata, "keyMetadata"));
    }

    public RdbEntry(int db, byte[] key, long expireAtMs, RdbValue value, boolean first, boolean last,
                    byte[] dumpPayload, int rdbVersion, long idleSeconds, int lfuFreq) {
        this(db, key, expireAtMs, value, first, last, dumpPayload, rdbVersion, idleSeconds, lfuFreq,
                java.util.List.of());
    }

    /** The key as text for messages (UTF-8, non-printable bytes escaped). */
    public String keyText() {
        return Packed.printable(key);
    }
}
