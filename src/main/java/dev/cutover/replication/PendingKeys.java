package dev.cutover.replication;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Keys touched on the source since they were last copied, each once, oldest first. Bounded:
 * past the bound a db is marked for a whole rescan instead of growing without end — never
 * silently dropped.
 */
final class PendingKeys {
    /** A key in a db; byte arrays compared by content. */
    record Key(int db, byte[] name) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.db == db && Arrays.equals(k.name, name);
        }

        @Override
        public int hashCode() {
            return 31 * db + Arrays.hashCode(name);
        }
    }

    private final int bound;
    private final LinkedHashMap<Key, Long> keys = new LinkedHashMap<>();
    private final Set<Integer> rescan = new TreeSet<>();
    private long overflows;

    PendingKeys(int bound) {
        this.bound = bound;
    }

    private final Set<Integer> dbsSeen = new TreeSet<>();

    /** Every db an event ever named: a rescan after lost events covers them too. */
    synchronized Set<Integer> dbsSeen() {
        return new TreeSet<>(dbsSeen);
    }

    synchronized void add(int db, byte[] name) {
        dbsSeen.add(db);
        if (rescan.contains(db)) {
            return; // the rescan copies it anyway
        }
        keys.putIfAbsent(new Key(db, name), System.nanoTime());
        if (keys.size() > bound) {
            keys.keySet().removeIf(k -> k.db() == db);
            rescan.add(db);
            overflows++;
        }
        notifyAll();
    }

    /** Every db must be copied again (the event subscription dropped, say). */
    synchronized void rescanAll(Set<Integer> dbs) {
        rescan.addAll(dbs);
        keys.clear();
        notifyAll();
    }

    /** Up to {@code max} keys, removed from the queue (a change after this re-adds them). */
    synchronized List<Key> take(int max) {
        List<Key> batch = new ArrayList<>(Math.min(max, keys.size()));
        Iterator<Map.Entry<Key, Long>> it = keys.entrySet().iterator();
        while (it.hasNext() && batch.size() < max) {
            batch.add(it.next().getKey());
            it.remove();
        }
        return batch;
    }

    /** The next db to rescan, removed, or -1. */
    synchronized int takeRescan() {
        Iterator<Integer> it = rescan.iterator();
        if (!it.hasNext()) {
            return -1;
        }
        int db = it.next();
        it.remove();
        return db;
    }

    synchronized int size() {
        return keys.size();
    }

    synchronized boolean idle() {
        return keys.isEmpty() && rescan.isEmpty();
    }

    synchronized int rescansWaiting() {
        return rescan.size();
    }

    synchronized long overflows() {
        return overflows;
    }

    /** Seconds since the oldest pending key was touched (0 when none). */
    synchronized double oldestAgeSeconds() {
        if (keys.isEmpty()) {
            return 0;
        }
        return (System.nanoTime() - keys.values().iterator().next()) / 1e9;
    }

    synchronized void awaitWork(long millis) throws InterruptedException {
        if (keys.isEmpty() && rescan.isEmpty()) {
            wait(millis);
        }
    }
}
