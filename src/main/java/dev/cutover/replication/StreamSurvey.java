package dev.cutover.replication;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.Endpoint;
import dev.cutover.endpoint.ServerInfo;
import java.util.List;

/**
 * How many stream keys the source holds, and (on Redis 8.6) how many carry producer
 * idempotency state: Redis 8.6 writes every stream as RDB type 26, which no Valkey loads, and
 * idempotency state is something no other server can hold. Read-only and bounded: at most
 * {@link #SCAN_BUDGET} SCAN calls per database and {@link #XINFO_BUDGET} XINFO calls in all.
 *
 * @param streams          stream keys found
 * @param withIdempotency  of those, streams with idempotency state (ids recorded or counted)
 * @param complete         every key was looked at (otherwise the counts are lower bounds)
 */
public record StreamSurvey(long streams, long withIdempotency, boolean complete) {
    static final int SCAN_BUDGET = 200;
    static final int XINFO_BUDGET = 10_000;

    /** The source was not surveyed (its streams do not matter for this pair). */
    public static StreamSurvey notNeeded() {
        return new StreamSurvey(0, 0, true);
    }

    /**
     * @param idempotency also ask XINFO STREAM of each stream (only Redis 8.6 reports the state)
     * @throws CutoverException if the source refuses SCAN or XINFO
     */
    static StreamSurvey of(Endpoint source, ServerInfo info, boolean idempotency) {
        long[] counts = new long[3]; // streams, with state, XINFO calls
        boolean[] skipped = {false};
        boolean complete = KeysOfType.scan(source, info, "stream", SCAN_BUDGET, key -> {
            counts[0]++;
            if (!idempotency) {
                return;
            }
            if (counts[2]++ >= XINFO_BUDGET) {
                skipped[0] = true;
                return;
            }
            if (holdsIdempotency(source.call("XINFO", "STREAM", String.valueOf(key)))) {
                counts[1]++;
            }
        });
        return new StreamSurvey(counts[0], counts[1], complete && !skipped[0]);
    }

    /** XINFO STREAM of Redis 8.6: "pids-tracked" and "iids-added" say whether idempotency was used. */
    static boolean holdsIdempotency(Object xinfo) {
        if (!(xinfo instanceof List<?> flat)) {
            return false;
        }
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            String name = String.valueOf(flat.get(i));
            if ((name.equals("pids-tracked") || name.equals("iids-added") || name.equals("iids-duplicates"))
                    && !"0".equals(String.valueOf(flat.get(i + 1)))) {
                return true;
            }
        }
        return false;
    }
}
