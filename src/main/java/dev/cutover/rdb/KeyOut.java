package dev.cutover.rdb;

/**
 * Delivers one key to the visitor, as one entry or in parts, and attaches the DUMP payload when
 * the key came in one part whose raw encoding was copied whole.
 */
final class KeyOut {
    final RdbInput in;
    final String name;
    private final RdbVisitor visitor;
    private final int db;
    private final byte[] key;
    private final long expireAtMs;
    private final long idle;
    private final int freq;
    private final int version;
    final long partBytes;
    private final java.util.List<KeyMetadata> keyMetadata;
    boolean emitted;

    KeyOut(RdbInput in, RdbVisitor visitor, int db, byte[] key, long expireAtMs, long idle, int freq, int version,
           long partBytes, java.util.List<KeyMetadata> keyMetadata) {
        this.in = in;
        this.visitor = visitor;
        this.db = db;
        this.key = key;
        this.expireAtMs = expireAtMs;
        this.idle = idle;
        this.freq = freq;
        this.version = version;
        this.partBytes = partBytes;
        this.keyMetadata = keyMetadata;
        this.name = "key \"" + Packed.printable(key) + "\"";
    }

    void emit(RdbValue value, boolean last) {
        byte[] payload = null;
        if (!emitted && last) {
            byte[] raw = in.endCopy();
            payload = raw == null ? null : DumpPayload.of(raw, version);
        } else {
            in.abandonCopy();
        }
        boolean first = !emitted;
        emitted = true;
        visitor.entry(new RdbEntry(db, key, expireAtMs, value, first, last, payload, version, idle, freq,
                keyMetadata));
    }

    /** The key was empty (the server drops such keys on load, so do we). */
    void dropEmpty() {
        in.abandonCopy();
    }
}
