package dev.cutover.rdb;

/** Type bytes and opcodes of the RDB format (Redis rdb.h, Valkey rdb.h). */
final class RdbTypes {
    static final int STRING = 0;
    static final int LIST = 1;
    static final int SET = 2;
    static final int ZSET = 3;
    static final int HASH = 4;
    static final int ZSET_2 = 5;
    static final int MODULE_PRE_GA = 6;
    static final int MODULE_2 = 7;
    static final int HASH_ZIPMAP = 9;
    static final int LIST_ZIPLIST = 10;
    static final int SET_INTSET = 11;
    static final int ZSET_ZIPLIST = 12;
    static final int HASH_ZIPLIST = 13;
    static final int LIST_QUICKLIST = 14;
    static final int STREAM_LISTPACKS = 15;
    static final int HASH_LISTPACK = 16;
    static final int ZSET_LISTPACK = 17;
    static final int LIST_QUICKLIST_2 = 18;
    static final int STREAM_LISTPACKS_2 = 19;
    static final int SET_LISTPACK = 20;
    static final int STREAM_LISTPACKS_3 = 21;
    /** Redis 7.4 release candidates (RDB 12): hash with field TTLs, absolute TTLs. In Valkey (RDB 80+), 22 is HASH_2. */
    static final int HASH_METADATA_PRE_GA = 22;
    /** Valkey 9 (RDB 80): hash with field TTLs; each field is followed by its expiry in ms (-1 none). */
    static final int VALKEY_HASH_2 = 22;
    static final int HASH_LISTPACK_EX_PRE_GA = 23;
    static final int HASH_METADATA = 24;
    static final int HASH_LISTPACK_EX = 25;
    /** Redis 8.6 (RDB 13): a stream with its producers' idempotency state (IDMP) after the groups. */
    static final int STREAM_LISTPACKS_4 = 26;

    /** Valkey 9 (RDB 80): a slot import job. Redis 8.6 (RDB 13) uses 243 for {@link #OP_KEY_META}. */
    static final int OP_SLOT_IMPORT = 243;
    /** Redis 8.6 (RDB 13): module key metadata, right before a key's type byte. */
    static final int OP_KEY_META = 243;
    static final int OP_SLOT_INFO = 244;
    static final int OP_FUNCTION2 = 245;
    static final int OP_FUNCTION_PRE_GA = 246;
    static final int OP_MODULE_AUX = 247;
    static final int OP_IDLE = 248;
    static final int OP_FREQ = 249;
    static final int OP_AUX = 250;
    static final int OP_RESIZEDB = 251;
    static final int OP_EXPIRETIME_MS = 252;
    static final int OP_EXPIRETIME = 253;
    static final int OP_SELECTDB = 254;
    static final int OP_EOF = 255;

    /** The newest RDB version of Redis's numbering this reader knows (Redis 8.6). */
    static final int REDIS_LAST = 13;
    /** The first RDB version of Valkey's own numbering ("VALKEY080"). */
    static final int VALKEY_FIRST = 80;

    private RdbTypes() {
    }

    /** Whether {@code type} starts a key in a file of {@code version}. */
    static boolean isValueType(int type, int version) {
        if (type >= 0 && type <= 7 || type >= 9 && type <= 21) {
            return true;
        }
        if (version >= VALKEY_FIRST) {
            return type == VALKEY_HASH_2;
        }
        return version >= 12 && type >= 22 && type <= 25 || version >= 13 && type == STREAM_LISTPACKS_4;
    }

    /** The module name packed into a module type id: 9 characters of 6 bits each above a 10-bit encoding version. */
    static String moduleName(long id) {
        String set = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char[] name = new char[9];
        long v = id >>> 10;
        for (int j = 8; j >= 0; j--) {
            name[j] = set.charAt((int) (v & 63));
            v >>>= 6;
        }
        return new String(name);
    }
}
