package dev.cutover.testing;

import io.lettuce.core.Consumer;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test data of every type and encoding cutover must move. */
public final class Datasets {
    private Datasets() {
    }

    /** Strings, lists, sets, sorted sets, hashes (small and large), a stream with a group and PEL, TTLs, dbs 0, 1 and 3. */
    public static void everyType(Redis redis) {
        RedisCommands<String, String> r = redis.sync();
        for (int db : new int[] {0, 1, 3}) {
            r.select(db);
            String p = "db" + db + ":";
            r.set(p + "string:int", "12345");
            r.set(p + "string:raw", "hello world");
            r.set(p + "string:big", "x".repeat(20_000));
            r.setex(p + "string:ttl", 3600, "expires later");
            r.rpush(p + "list:small", "a", "b", "c");
            for (int i = 0; i < 300; i++) {
                r.rpush(p + "list:big", "element-" + i + "-" + "y".repeat(i % 50));
            }
            r.sadd(p + "set:ints", "1", "2", "3", "100000");
            r.sadd(p + "set:strings", "alpha", "beta", "gamma");
            for (int i = 0; i < 600; i++) {
                r.sadd(p + "set:big", "member-" + i);
            }
            r.zadd(p + "zset:small", 1.5, "one", 2.25, "two", -3.0, "minus");
            for (int i = 0; i < 300; i++) {
                r.zadd(p + "zset:big", i * 0.5, "z-" + i);
            }
            r.hset(p + "hash:small", Map.of("f1", "v1", "f2", "2"));
            Map<String, String> big = new LinkedHashMap<>();
            for (int i = 0; i < 700; i++) {
                big.put("field-" + i, "value-" + i);
            }
            r.hset(p + "hash:big", big);
            r.expire(p + "hash:big", 7200);
            for (int i = 0; i < 20; i++) {
                r.xadd(p + "stream", Map.of("n", String.valueOf(i), "who", "writer"));
            }
            r.xgroupCreate(XReadArgs.StreamOffset.from(p + "stream", "0"), "group-a",
                    XGroupCreateArgs.Builder.mkstream(false));
            r.xreadgroup(Consumer.from("group-a", "consumer-1"), XReadArgs.Builder.count(5),
                    XReadArgs.StreamOffset.lastConsumed(p + "stream"));
        }
        r.select(0);
    }
}
