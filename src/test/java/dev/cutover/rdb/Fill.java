package dev.cutover.rdb;

import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.testing.Datasets;
import dev.cutover.testing.Redis;

/** Fills a real server with every type in every encoding it has, for the reader's tests. */
final class Fill {
    /** Far enough ahead that nothing expires during a test. */
    static final long LATER = 4_102_444_800_000L;

    private Fill() {
    }

    static boolean hasFieldTtls(Flavour f) {
        return f == Flavour.REDIS_8 || f == Flavour.REDIS_86 || f == Flavour.VALKEY_9;
    }

    static void everything(LocalServer server, Resp r) {
        try (Redis redis = new Redis(server)) {
            Datasets.everyType(redis);
        }
        for (int db : new int[] {0, 5}) {
            r.ok("SELECT", db);
            String p = "x" + db + ":";
            r.ok("SET", p + "int:neg", "-5");
            r.ok("SET", p + "int:big", "1234567890123");
            r.ok("SET", p + "lzf", "abc".repeat(1000));
            r.ok("SET", p + "huge:string", "s".repeat(300_000));
            r.ok("PEXPIREAT", p + "huge:string", LATER);
            // Many small quicklist nodes, then a plain node (an element bigger than a node's limit).
            r.ok("CONFIG", "SET", "list-max-listpack-size", "4");
            for (int i = 0; i < 22; i++) {
                r.ok("RPUSH", p + "list:nodes", "n" + i, String.valueOf(i * 1000));
            }
            r.ok("CONFIG", "SET", "list-max-listpack-size", "-2");
            r.ok("RPUSH", p + "list:plain", "small", "p".repeat(20_000), "after");
            for (int i = 0; i < 2000; i++) {
                r.ok("RPUSH", p + "huge:list", "item-" + i + "-" + "l".repeat(100));
                r.ok("SADD", p + "huge:set", "member-" + i + "-" + "m".repeat(60));
                r.ok("ZADD", p + "huge:zset", String.valueOf(i / 7.0), "z-" + i + "-" + "z".repeat(60));
                r.ok("HSET", p + "huge:hash", "field-" + i, "v".repeat(60) + i);
                r.ok("XADD", p + "huge:stream", "*", "i", String.valueOf(i), "pad", "q".repeat(60));
            }
            r.ok("ZADD", p + "zset:special", "+inf", "top", "-inf", "bottom", "0.1", "tenth", "1e300", "far",
                    "-0.000001", "tiny");
            r.ok("SADD", p + "set:mixed", "1", "-2", "300000", "4000000000", "9223372036854775807");
            stream(r, p + "stream:rich");
            r.ok("XADD", p + "stream:emptied", "5-1", "a", "1");
            r.ok("XDEL", p + "stream:emptied", "5-1");
            r.ok("XGROUP", "CREATE", p + "stream:never", "g", "$", "MKSTREAM");
            r.ok("PEXPIREAT", p + "stream:rich", LATER);
        }
        r.ok("SELECT", 0);
        r.ok("FUNCTION", "LOAD", "#!lua name=cutoverlib\nredis.register_function('cutover_one', function(keys, args) return 1 end)");
        if (hasFieldTtls(server.flavour())) {
            r.ok("HSET", "fttl:small", "f1", "v1", "f2", "v2", "f3", "v3");
            r.ok("HPEXPIREAT", "fttl:small", LATER, "FIELDS", 2, "f1", "f2");
            r.ok("HSETEX", "fttl:small", "PXAT", LATER + 5, "FIELDS", 1, "f4", "v4");
            for (int i = 0; i < 1000; i++) {
                r.ok("HSET", "fttl:big", "field-" + i, "value-" + i);
            }
            r.ok("HPEXPIREAT", "fttl:big", LATER + 1, "FIELDS", 3, "field-1", "field-2", "field-3");
            r.ok("HPEXPIREAT", "fttl:big", LATER + 2, "FIELDS", 1, "field-200");
            r.ok("PEXPIREAT", "fttl:big", LATER + 100);
            for (int i = 0; i < 2000; i++) {
                r.ok("HSET", "fttl:huge", "field-" + i, "w".repeat(60) + i);
            }
            r.ok("HPEXPIREAT", "fttl:huge", LATER + 3, "FIELDS", 2, "field-10", "field-1999");
        }
        if (server.flavour() == Flavour.REDIS_86) {
            idempotentStream(r, "idmp:stream");
        }
    }

    /**
     * A Redis 8.6 stream with producer idempotency state: its own settings, three producers (one
     * with IDMPAUTO), a duplicate that was refused, and a consumer group.
     */
    static void idempotentStream(Resp r, String key) {
        r.ok("XADD", key, "1-1", "first", "1");
        r.ok("XCFGSET", key, "IDMP-DURATION", 86_400, "IDMP-MAXSIZE", 20); // clears what was recorded
        r.ok("XADD", key, "IDMP", "prod-a", "iid-1", "*", "n", "1");
        r.ok("XADD", key, "IDMP", "prod-a", "iid-2", "*", "n", "2");
        r.ok("XADD", key, "IDMP", "prod-b", "iid-1", "*", "n", "3");
        r.ok("XADD", key, "IDMP", "prod-a", "iid-1", "*", "n", "duplicate");
        r.ok("XADD", key, "IDMPAUTO", "prod-c", "*", "n", "4");
        r.ok("XGROUP", "CREATE", key, "g", "0");
        r.ok("XREADGROUP", "GROUP", "g", "c1", "COUNT", 2, "STREAMS", key, ">");
    }

    /** Entries with varying fields, deletions, two groups, a PEL with several owners, an idle consumer. */
    private static void stream(Resp r, String key) {
        for (int i = 1; i <= 30; i++) {
            if (i % 3 == 0) {
                r.ok("XADD", key, "1000-" + i, "a", "x" + i, "b", "y");
            } else {
                r.ok("XADD", key, "1000-" + i, "n", String.valueOf(i));
            }
        }
        r.ok("XGROUP", "CREATE", key, "g1", "0");
        r.ok("XREADGROUP", "GROUP", "g1", "c1", "COUNT", 5, "STREAMS", key, ">");
        r.ok("XREADGROUP", "GROUP", "g1", "c2", "COUNT", 3, "STREAMS", key, ">");
        r.ok("XACK", key, "g1", "1000-2");
        r.ok("XCLAIM", key, "g1", "c2", 0, "1000-3");
        r.ok("XGROUP", "CREATE", key, "g2", "$");
        r.ok("XGROUP", "CREATECONSUMER", key, "g2", "idle");
        r.ok("XDEL", key, "1000-20", "1000-21", "1000-30");
    }
}
