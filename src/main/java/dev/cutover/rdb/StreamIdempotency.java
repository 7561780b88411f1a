package dev.cutover.rdb;

import java.util.List;
import java.util.Objects;

/**
 * A Redis 8.6 stream's producer idempotency state (XADD ... IDMP / IDMPAUTO, XCFGSET): how long
 * and how many idempotent ids it remembers, the ids each producer has recorded with the entry
 * each one produced, and the all-time counters XINFO STREAM shows.
 *
 * @param durationSeconds how long an idempotent id is remembered (IDMP-DURATION)
 * @param maxEntries      how many ids each producer keeps (IDMP-MAXSIZE)
 * @param producers       the producers with recorded ids, in the file's order
 * @param iidsAdded       the all-time count of ids added ("iids-added")
 * @param iidsDuplicates  the all-time count of duplicates detected ("iids-duplicates")
 */
public record StreamIdempotency(long durationSeconds, long maxEntries, List<Producer> producers, long iidsAdded,
                                long iidsDuplicates) {

    public StreamIdempotency {
        producers = List.copyOf(Objects.requireNonNull(producers, "producers"));
    }

    /** One producer and the ids it recorded, oldest first. */
    public record Producer(byte[] pid, List<Recorded> recorded) {
        public Producer {
            Objects.requireNonNull(pid, "pid");
            recorded = List.copyOf(Objects.requireNonNull(recorded, "recorded"));
        }
    }

    /** An idempotent id and the stream entry it produced. */
    public record Recorded(byte[] iid, StreamId entryId) {
        public Recorded {
            Objects.requireNonNull(iid, "iid");
            Objects.requireNonNull(entryId, "entryId");
        }
    }

    /** How many idempotent ids are recorded, over all producers. */
    public long recordedIds() {
        return producers.stream().mapToLong(p -> p.recorded().size()).sum();
    }

    /** Whether the stream has used idempotency at all: ids recorded now, or counted in the past. */
    public boolean holdsState() {
        return !producers.isEmpty() || iidsAdded > 0 || iidsDuplicates > 0;
    }
}
