package dev.cutover.rdb;

import static dev.cutover.rdb.RdbTypes.STREAM_LISTPACKS;
import static dev.cutover.rdb.RdbTypes.STREAM_LISTPACKS_3;
import static dev.cutover.rdb.RdbTypes.STREAM_LISTPACKS_4;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a stream value (types 15, 19, 21 and 26): listpacks of entries keyed by a master id, then
 * the stream's ids and counters, then consumer groups with their pending lists and consumers,
 * then (type 26, Redis 8.6) the producers' idempotency state.
 */
final class StreamReader {
    private static final int DELETED = 1;
    private static final int SAME_FIELDS = 2;
    /** Group and consumer counts above this are taken for corruption (groups are held in memory). */
    private static final long MAX_GROUP_ITEMS = 1L << 31;
    /** The ranges Redis 8.6 accepts for IDMP-DURATION (seconds) and IDMP-MAXSIZE. */
    private static final long MAX_IDMP_DURATION = 86_400;
    private static final long MAX_IDMP_ENTRIES = 10_000;
    private final RdbInput in;
    private final KeyOut out;

    StreamReader(RdbInput in, KeyOut out) {
        this.in = in;
        this.out = out;
    }

    void read(int type) {
        Chunker<StreamEntry> c = new Chunker<>(out, entries -> new RdbValue.StreamValue(entries, null, List.of()));
        for (long n = in.length("the listpack count of " + out.name); n > 0; n--) {
            long nodeAt = in.offset();
            byte[] master = in.string("a stream node id of " + out.name);
            if (master.length != 16) {
                throw new RdbException(nodeAt, "expected a 16-byte stream node id in " + out.name + ", found "
                        + master.length + " bytes");
            }
            long lpAt = in.offset();
            byte[] lp = in.string("a stream listpack of " + out.name);
            entries(new StreamId(RdbInput.be64(master, 0), RdbInput.be64(master, 8)),
                    new Packed.Listpack(lp, lpAt, out.name), c);
        }
        in.length("the stream length of " + out.name);
        StreamId lastId = id("the last id of " + out.name);
        StreamId firstId = null;
        StreamId maxDeleted = null;
        long added = -1;
        if (type != STREAM_LISTPACKS) {
            firstId = id("the first id of " + out.name);
            maxDeleted = id("the largest deleted id of " + out.name);
            added = in.length("the entries-added counter of " + out.name);
        }
        List<StreamGroup> groups = groups(type);
        StreamIdempotency idmp = type >= STREAM_LISTPACKS_4 ? idempotency() : null;
        StreamMeta meta = new StreamMeta(lastId, added, maxDeleted, firstId, idmp);
        c.finish(entries -> new RdbValue.StreamValue(entries, meta, groups));
    }

    private void entries(StreamId master, Packed lp, Chunker<StreamEntry> c) {
        long count = lp.nextLong();
        long deleted = lp.nextLong();
        long nFields = lp.nextLong();
        if (count < 0 || deleted < 0 || nFields < 0 || nFields > lp.b.length) {
            throw lp.corrupt("a stream node header", count + " entries, " + deleted + " deleted, " + nFields + " fields");
        }
        List<byte[]> masterFields = new ArrayList<>((int) Math.min(nFields, 64));
        for (long k = 0; k < nFields; k++) {
            masterFields.add(lp.next());
        }
        long zero = lp.nextLong();
        if (zero != 0) {
            throw lp.corrupt("the 0 that ends a stream node's master entry", String.valueOf(zero));
        }
        while (lp.hasNext()) {
            long flags = lp.nextLong();
            StreamId id = new StreamId(master.ms() + lp.nextLong(), master.seq() + lp.nextLong());
            List<byte[]> fv;
            long size = 16;
            if ((flags & SAME_FIELDS) != 0) {
                fv = new ArrayList<>(masterFields.size() * 2);
                for (byte[] f : masterFields) {
                    byte[] v = lp.next();
                    fv.add(f);
                    fv.add(v);
                    size += f.length + v.length;
                }
            } else {
                long n = lp.nextLong();
                if (n < 0 || n > lp.b.length) {
                    throw lp.corrupt("a field count", String.valueOf(n));
                }
                fv = new ArrayList<>((int) Math.min(n * 2, 128));
                for (long k = 0; k < n; k++) {
                    byte[] f = lp.next();
                    byte[] v = lp.next();
                    fv.add(f);
                    fv.add(v);
                    size += f.length + v.length;
                }
            }
            lp.nextLong();
            if ((flags & DELETED) == 0) {
                c.add(new StreamEntry(id, fv), size);
            }
        }
    }

    private List<StreamGroup> groups(int type) {
        long nGroups = bounded("the consumer group count");
        List<StreamGroup> groups = new ArrayList<>();
        for (long g = 0; g < nGroups; g++) {
            byte[] name = in.string("a consumer group name of " + out.name);
            String where = "group \"" + Packed.printable(name) + "\" of " + out.name;
            StreamId lastId = id("the last delivered id of " + where);
            long entriesRead = type == STREAM_LISTPACKS ? -1 : in.length("the entries-read counter of " + where);
            long nPending = bounded("the pending count of " + where);
            Map<StreamId, long[]> pel = new java.util.LinkedHashMap<>();
            for (long k = 0; k < nPending; k++) {
                StreamId id = rawId("a pending id of " + where);
                long time = in.millis("a delivery time of " + where);
                long deliveries = in.length("a delivery count of " + where);
                pel.put(id, new long[] {time, deliveries});
            }
            long nConsumers = bounded("the consumer count of " + where);
            List<StreamConsumer> consumers = new ArrayList<>();
            Map<StreamId, byte[]> owner = new HashMap<>();
            for (long k = 0; k < nConsumers; k++) {
                byte[] cname = in.string("a consumer name of " + where);
                long seen = in.millis("a consumer seen time of " + where);
                long active = type >= STREAM_LISTPACKS_3 ? in.millis("a consumer active time of " + where) : -1;
                consumers.add(new StreamConsumer(cname, seen, active));
                long owned = bounded("the pending count of a consumer of " + where);
                for (long j = 0; j < owned; j++) {
                    long at = in.offset();
                    StreamId id = rawId("a consumer's pending id in " + where);
                    if (!pel.containsKey(id)) {
                        throw new RdbException(at, "expected a consumer's pending id that is in the pending list of "
                                + where + ", found " + id + " which is not");
                    }
                    owner.put(id, cname);
                }
            }
            List<PendingEntry> pending = new ArrayList<>(pel.size());
            pel.forEach((id, v) -> pending.add(new PendingEntry(id, v[0], v[1], owner.get(id))));
            groups.add(new StreamGroup(name, lastId, entriesRead, pending, consumers));
        }
        return groups;
    }

    private StreamIdempotency idempotency() {
        long duration = ranged("the idempotency duration (seconds)", MAX_IDMP_DURATION);
        long maxEntries = ranged("the idempotency max entries", MAX_IDMP_ENTRIES);
        long nProducers = bounded("the idempotent producer count");
        List<StreamIdempotency.Producer> producers = new ArrayList<>();
        for (long p = 0; p < nProducers; p++) {
            byte[] pid = in.string("an idempotent producer id of " + out.name);
            String where = "producer \"" + Packed.printable(pid) + "\" of " + out.name;
            long n = bounded("the idempotent id count of " + where);
            List<StreamIdempotency.Recorded> recorded = new ArrayList<>();
            for (long k = 0; k < n; k++) {
                byte[] iid = in.string("an idempotent id of " + where);
                recorded.add(new StreamIdempotency.Recorded(iid, id("the entry id of an idempotent id of " + where)));
            }
            producers.add(new StreamIdempotency.Producer(pid, recorded));
        }
        long iidsAdded = in.length("the idempotent ids added counter of " + out.name);
        long iidsDuplicates = in.length("the idempotent duplicates counter of " + out.name);
        return new StreamIdempotency(duration, maxEntries, producers, iidsAdded, iidsDuplicates);
    }

    /** A setting Redis 8.6 keeps in 1..max (it refuses to load a file with one outside). */
    private long ranged(String what, long max) {
        long at = in.offset();
        long n = in.length(what + " of " + out.name);
        if (n < 1 || n > max) {
            throw new RdbException(at, "expected " + what + " of " + out.name + " to be 1-" + max + ", found "
                    + Long.toUnsignedString(n));
        }
        return n;
    }

    private long bounded(String what) {
        long at = in.offset();
        long n = in.length(what + " of " + out.name);
        if (n < 0 || n > MAX_GROUP_ITEMS) {
            throw new RdbException(at, "expected " + what + " of " + out.name + " to be at most " + MAX_GROUP_ITEMS
                    + ", found " + Long.toUnsignedString(n));
        }
        return n;
    }

    private StreamId id(String what) {
        long ms = in.length(what + " (ms)");
        long seq = in.length(what + " (seq)");
        return new StreamId(ms, seq);
    }

    private StreamId rawId(String what) {
        byte[] raw = in.bytes(16, what);
        return new StreamId(RdbInput.be64(raw, 0), RdbInput.be64(raw, 8));
    }
}
