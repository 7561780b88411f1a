package dev.cutover.replication;

import dev.cutover.endpoint.ConnectOptions;
import dev.cutover.endpoint.EndpointUri;
import dev.cutover.resp.RespSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Listens to the source's keyspace notifications ({@code __keyspace@<db>__:<key>}) and queues
 * every touched key. A dropped subscription is never silent: every db is queued for a rescan
 * and the drop counted. {@link #barrier} proves that every event published before it was seen.
 */
final class KeyspaceEvents implements AutoCloseable {
    private static final byte[] PREFIX = "__keyspace@".getBytes(StandardCharsets.US_ASCII);

    private final EndpointUri source;
    private final ConnectOptions options;
    private final PendingKeys pending;
    private final java.util.function.Supplier<java.util.Set<Integer>> dbs;
    private final Thread thread;
    private final AtomicLong pongs = new AtomicLong();
    private final AtomicLong pings = new AtomicLong();
    private final Object socketLock = new Object();
    private volatile RespSocket socket;
    private volatile boolean closed;
    private volatile boolean subscribed;
    private volatile long drops;
    private volatile long events;
    private volatile String lastError = "";

    KeyspaceEvents(EndpointUri source, ConnectOptions options, PendingKeys pending,
                   java.util.function.Supplier<java.util.Set<Integer>> dbs) {
        this.source = source;
        this.options = options;
        this.pending = pending;
        this.dbs = dbs;
        this.thread = new Thread(this::run, "cutover-keyspace-events");
        thread.setDaemon(true);
    }

    /** Subscribes before returning, so no change made after this call can be missed. */
    void start() {
        subscribe();
        thread.start();
        Thread watchdog = new Thread(this::watch, "cutover-keyspace-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /**
     * A half-open connection delivers nothing and raises nothing: every few seconds a PING must
     * come back, or the subscription counts as dropped (and every db is rescanned).
     */
    private void watch() {
        while (!closed) {
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                return;
            }
            RespSocket s = socket;
            if (s != null && subscribed && !closed && !barrier(Duration.ofSeconds(10)) && socket == s && !closed) {
                s.close(); // the reader sees the broken connection, counts the drop and resubscribes
            }
        }
    }

    private void subscribe() {
        RespSocket s = RespSocket.open(source, options, "cutover-scan-events");
        s.output().write("PSUBSCRIBE", "__keyspace@*__:*");
        s.output().flush();
        s.input().readReply(); // the psubscribe confirmation
        s.readTimeout(Duration.ZERO);
        pongs.set(pings.get()); // pings sent on a lost connection will never be answered
        socket = s;
        subscribed = true;
    }

    private void run() {
        while (!closed) {
            try {
                RespSocket s = socket;
                if (s == null) {
                    Thread.sleep(500);
                    subscribe();
                    // Whatever changed while nobody listened: copy every db again.
                    pending.rescanAll(dbs.get());
                    continue;
                }
                Object message = s.input().readReply();
                handle(message);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                subscribed = false;
                drops++;
                lastError = "the keyspace-event subscription dropped (" + e.getMessage() + "); every db is rescanned";
                RespSocket s = socket;
                socket = null;
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    private void handle(Object message) {
        if (!(message instanceof List<?> parts) || parts.isEmpty()) {
            return;
        }
        String kind = parts.get(0) instanceof byte[] b ? new String(b, StandardCharsets.US_ASCII) : "";
        if (kind.equals("pong")) {
            pongs.incrementAndGet();
            synchronized (pongs) {
                pongs.notifyAll();
            }
            return;
        }
        if (!kind.equals("pmessage") || parts.size() < 4 || !(parts.get(2) instanceof byte[] channel)) {
            return;
        }
        // __keyspace@<db>__:<key>
        if (channel.length <= PREFIX.length || !Arrays.equals(channel, 0, PREFIX.length, PREFIX, 0, PREFIX.length)) {
            return;
        }
        int i = PREFIX.length;
        int db = 0;
        while (i < channel.length && channel[i] >= '0' && channel[i] <= '9') {
            db = db * 10 + (channel[i++] - '0');
        }
        int keyStart = i + 3; // "__:"
        if (keyStart > channel.length) {
            return;
        }
        events++;
        pending.add(db, Arrays.copyOfRange(channel, keyStart, channel.length));
    }

    /**
     * Returns once every keyspace event published before this call has been queued: a PING on
     * the subscribed connection is answered after the messages already sent to it.
     */
    boolean barrier(Duration timeout) {
        RespSocket s = socket;
        if (s == null || !subscribed) {
            return false;
        }
        long mine;
        synchronized (socketLock) {
            mine = pings.incrementAndGet(); // the pong for this ping is the mine-th one: a late pong counts for nothing
            s.output().write("PING");
            s.output().flush();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (pongs) {
            while (pongs.get() < mine) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || socket != s) {
                    return false;
                }
                try {
                    pongs.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    boolean subscribed() {
        return subscribed;
    }

    long drops() {
        return drops;
    }

    long events() {
        return events;
    }

    String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (pongs) {
            pongs.notifyAll();
        }
        RespSocket s = socket;
        if (s != null) {
            s.close();
        }
        thread.interrupt();
    }
}
