package dev.cutover.endpoint;

/**
 * Everything cutover knows about server versions, in one place: which RDB version each writes
 * and loads, and what native replication can do between two of them. Each fact is checked
 * against the real binaries of the test matrix (Redis 7.0, Redis 8.0, Redis 8.6, Valkey 8.0, Valkey 9.1).
 */
public final class VersionFacts {
    /** Valkey 9 writes {@code VALKEY080}: magic "VALKEY", version 80. */
    public static final int VALKEY_NATIVE_RDB = 80;

    private VersionFacts() {
    }

    public static RdbSupport rdb(ServerVersion v) {
        if (v.isValkey()) {
            if (v.major() >= 9) {
                return new RdbSupport(VALKEY_NATIVE_RDB, 11, true, VALKEY_NATIVE_RDB);
            }
            // Valkey 7.2 and 8.x write RDB 11; 8.1 added rdb-version-check relaxed.
            return new RdbSupport(11, 11, v.atLeast(8, 1), 0);
        }
        int version;
        if (v.atLeast(8, 6)) {
            version = 13; // streams with producer idempotency (type 26), key metadata (opcode 243)
        } else if (v.atLeast(7, 4)) {
            version = 12;
        } else if (v.atLeast(7, 2)) {
            version = 11;
        } else if (v.atLeast(7, 0)) {
            version = 10;
        } else if (v.atLeast(5, 0)) {
            version = 9;
        } else if (v.atLeast(4, 0)) {
            version = 8;
        } else if (v.atLeast(3, 2)) {
            version = 7;
        } else {
            version = 6;
        }
        return new RdbSupport(version, version, false, 0);
    }

    /**
     * The RDB version a primary sends a replica in a full sync. Valkey 9 sends its own format
     * only to replicas that announce they can load it (Valkey 9); others get RDB 11.
     */
    public static int rdbSentToReplica(ServerVersion primary, ServerVersion replica) {
        RdbSupport p = rdb(primary);
        if (p.written() == VALKEY_NATIVE_RDB && !(replica.isValkey() && replica.major() >= 9)) {
            return 11;
        }
        return p.written();
    }

    /**
     * What cutover's own replica announces with {@code REPLCONF version}: to a Valkey 9 source its
     * own version, so that it sends VALKEY080 (which cutover reads) rather than RDB 11, which
     * cannot hold hash-field TTLs (measured: the sync fails with "Can't store key in RDB version
     * 11"). Other sources get nothing; Redis does not know the option.
     */
    public static java.util.Optional<String> psyncAnnounce(ServerVersion source) {
        return source.isValkey() && source.major() >= 9
                ? java.util.Optional.of(source.major() + "." + source.minor() + "." + source.patch())
                : java.util.Optional.empty();
    }

    /** The RDB version a Valkey 9 source sends cutover's replica (see {@link #psyncAnnounce}). */
    public static int rdbSentToPsync(ServerVersion source) {
        return psyncAnnounce(source).isPresent() ? rdb(source).written() : rdbSentToReplica(source,
                new ServerVersion(ServerKind.REDIS, 0, 0, 0));
    }

    /** Whether the server understands hash-field TTLs (HPEXPIRE, HPTTL, ...). */
    public static boolean hasHashFieldTtl(ServerVersion v) {
        return v.isValkey() ? v.major() >= 9 : v.atLeast(7, 4);
    }

    /** Whether an RDB of that version can hold hash-field TTLs (Redis 7.4's RDB 12 and later, VALKEY080). */
    public static boolean rdbHoldsFieldTtls(int rdbVersion) {
        return rdbVersion >= 12;
    }

    /**
     * Whether the server writes every stream as RDB type 26 (Redis 8.6), which no Valkey loads,
     * even with rdb-version-check relaxed (measured: "Can't handle foreign type or opcode 26").
     */
    public static boolean writesStreamType26(ServerVersion v) {
        return v.isRedis() && v.atLeast(8, 6);
    }

    /** Whether the server keeps stream producer idempotency (XADD ... IDMP, XCFGSET): Redis 8.6. */
    public static boolean hasStreamIdempotency(ServerVersion v) {
        return v.isRedis() && v.atLeast(8, 6);
    }

    /** Whether the server has CLIENT PAUSE ... WRITE (Redis 6.2+, every Valkey). */
    public static boolean hasClientPauseWrite(ServerVersion v) {
        return v.isValkey() || v.atLeast(6, 2);
    }
}
