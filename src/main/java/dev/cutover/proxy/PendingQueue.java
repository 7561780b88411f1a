package dev.cutover.proxy;

import java.util.Arrays;

/**
 * The replies a connection still waits for from its upstream, oldest first: a ring of entries in
 * parallel arrays (no allocation per command). An entry expects {@code count} replies, or is a
 * reply the proxy makes up ({@link #LOCAL}) that goes to the client when its turn comes.
 */
final class PendingQueue {
    /** count replies, forwarded. */
    static final byte REPLY = 0;
    /** count (un)subscribe confirmations. */
    static final byte SUBSCRIPTIONS = 1;
    /** An UNSUBSCRIBE without arguments: confirmations until that kind has no subscriptions left; count = kind. */
    static final byte UNSUBSCRIBE_ALL = 2;
    /** No upstream reply: ref (byte[]) goes to the client. */
    static final byte LOCAL = 3;
    /** One upstream reply, replaced by ref (byte[]) for the client. */
    static final byte REPLACE = 4;

    static final byte WRITE = 1;
    static final byte BLOCKING = 2;
    /** The replies are the proxy's own (state replayed on a new upstream): the client never sees them. */
    static final byte SWALLOW = 4;
    /** The client asked for no reply (CLIENT REPLY OFF or SKIP, which the upstream never sees): dropped, its effect kept. */
    static final byte MUTED = 8;

    private byte[] kind = new byte[16];
    private byte[] flags = new byte[16];
    private int[] count = new int[16];
    private long[] nanos = new long[16];
    private Object[] ref = new Object[16];
    private int head;
    private int size;
    /** The last entry is a run of plain requests from the batch being read, which the next one may join. */
    private boolean tailOpen;

    /**
     * One request whose reply is forwarded as it is, and that changes nothing: it joins the run at
     * the tail when it has the same flags (a pipelined batch needs one entry, not one per request).
     * Returns true when it made a new entry.
     */
    boolean addPlain(byte f) {
        if (tailOpen && flags[(head + size - 1) & (kind.length - 1)] == f) {
            count[(head + size - 1) & (kind.length - 1)]++;
            return false;
        }
        add(REPLY, f, 1, 0, null);
        tailOpen = true;
        return true;
    }

    void add(byte k, byte f, int n, long t, Object r) {
        tailOpen = false;
        if (size == kind.length) {
            grow();
        }
        int i = (head + size) & (kind.length - 1);
        kind[i] = k;
        flags[i] = f;
        count[i] = n;
        nanos[i] = t;
        ref[i] = r;
        size++;
    }

    private void grow() {
        int n = kind.length;
        byte[] k2 = new byte[n * 2];
        byte[] f2 = new byte[n * 2];
        int[] c2 = new int[n * 2];
        long[] t2 = new long[n * 2];
        Object[] r2 = new Object[n * 2];
        for (int j = 0; j < size; j++) {
            int i = (head + j) & (n - 1);
            k2[j] = kind[i];
            f2[j] = flags[i];
            c2[j] = count[i];
            t2[j] = nanos[i];
            r2[j] = ref[i];
        }
        kind = k2;
        flags = f2;
        count = c2;
        nanos = t2;
        ref = r2;
        head = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    byte kind() {
        return kind[head];
    }

    byte flags() {
        return flags[head];
    }

    int count() {
        return count[head];
    }

    long nanos() {
        return nanos[head];
    }

    Object ref() {
        return ref[head];
    }

    /** One reply arrived for the head entry; returns true when it needs no more (then it is removed). */
    boolean countDown() {
        if (--count[head] > 0) {
            return false;
        }
        pop();
        return true;
    }

    /** {@code n} replies (at most {@link #count()}) arrived for the head entry; removes it when it needs no more. */
    void countDown(int n) {
        if ((count[head] -= n) == 0) {
            pop();
        }
    }

    void pop() {
        ref[head] = null;
        head = (head + 1) & (kind.length - 1);
        size--;
        tailOpen &= size > 0;
    }

    /** Sets the dispatch time of the last {@code n} entries (when their bytes reached the upstream socket). */
    void stampLast(int n, long t) {
        tailOpen = false;
        for (int j = Math.max(0, size - n); j < size; j++) {
            nanos[(head + j) & (kind.length - 1)] = t;
        }
    }

    /** How many replies the entries carrying {@code flag} still wait for (a scan: not for the hot path). */
    long repliesFlagged(byte flag) {
        long c = 0;
        for (int j = 0; j < size; j++) {
            int i = (head + j) & (kind.length - 1);
            if ((flags[i] & flag) != 0) {
                c += count[i];
            }
        }
        return c;
    }

    /** Whether some entry carries every one of {@code all} flags. */
    boolean any(byte all) {
        for (int j = 0; j < size; j++) {
            if ((flags[(head + j) & (kind.length - 1)] & all) == all) {
                return true;
            }
        }
        return false;
    }

    void clear() {
        tailOpen = false;
        Arrays.fill(ref, null);
        head = 0;
        size = 0;
    }
}
