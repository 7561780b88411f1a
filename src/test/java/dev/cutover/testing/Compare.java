package dev.cutover.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;

/** Key-by-key comparison of two live servers: type, DEBUG DIGEST-VALUE and TTL (within a minute). */
public final class Compare {
    private Compare() {
    }

    private static long liveKeys(Redis redis) {
        long n = 0;
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.sync().scan(cursor, ScanArgs.Builder.limit(1000));
            n += page.getKeys().size();
            cursor = page;
        } while (!cursor.isFinished());
        return n;
    }

    public static void sameKeys(Redis src, Redis tgt, int db) {
        src.sync().select(db);
        tgt.sync().select(db);
        try {
            // Counted by SCAN, which leaves out expired keys that DBSIZE still counts until reclaimed.
            assertEquals(liveKeys(src), liveKeys(tgt), "key count in db" + db);
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = src.sync().scan(cursor, ScanArgs.Builder.limit(500));
                for (String key : page.getKeys()) {
                    assertEquals(src.sync().type(key), tgt.sync().type(key), "type of " + key);
                    assertEquals(src.digestValue(key), tgt.digestValue(key), "value of " + key);
                    long srcTtl = src.sync().pttl(key);
                    long tgtTtl = tgt.sync().pttl(key);
                    assertEquals(srcTtl > 0, tgtTtl > 0, "TTL of " + key);
                    if (srcTtl > 0) {
                        assertTrue(Math.abs(srcTtl - tgtTtl) < 60_000, "TTL of " + key + " " + srcTtl + " vs " + tgtTtl);
                    }
                }
                cursor = page;
            } while (!cursor.isFinished());
        } finally {
            src.sync().select(0);
            tgt.sync().select(0);
        }
    }
}
