package dev.cutover.replication;

import dev.cutover.endpoint.Endpoint;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Samples the source's replication offset every {@link #PERIOD_MS} ms, and the target's sync
 * progress, while a link exists. The samples give "seconds behind" without writing marker keys:
 * the oldest write the target lacks was made after the last sample at or below its offset.
 */
public final class OffsetSampler implements AutoCloseable {
    static final long PERIOD_MS = 100;
    private static final int MAX_SAMPLES = 36_000; // an hour at 10 per second

    private record Sample(long offset, long nanos) {
    }

    private final Endpoint source;
    private final java.util.function.Supplier<SyncProgress> target;
    private final LongSupplier clock;
    private final Deque<Sample> samples = new ArrayDeque<>();
    private final ScheduledExecutorService executor;
    private volatile SyncProgress progress;
    private volatile String lastError = "";

    /** {@code target} says where the link stands (the target's INFO, or the psync replica itself). */
    public OffsetSampler(Endpoint source, java.util.function.Supplier<SyncProgress> target, LongSupplier nanoClock) {
        this.source = source;
        this.target = target;
        this.clock = nanoClock;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cutover-lag-sampler");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        executor.scheduleWithFixedDelay(this::sampleQuietly, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void sampleQuietly() {
        try {
            sample();
            lastError = "";
        } catch (RuntimeException e) {
            lastError = String.valueOf(e.getMessage());
        }
    }

    /**
     * Takes one sample now; also called by lag so that its figures are fresh. The round trips run
     * outside the lock, so readers of the samples (state, status line) never wait on the network.
     */
    public long sample() {
        long offset = Long.parseLong(source.infoFields("replication").getOrDefault("master_repl_offset", "0"));
        SyncProgress fresh = target.get();
        record(offset);
        progress = fresh;
        return offset;
    }

    synchronized void record(long offset) {
        long now = clock.getAsLong();
        Sample last = samples.peekLast();
        if (last == null || last.offset() != offset) {
            samples.addLast(new Sample(offset, now));
            while (samples.size() > MAX_SAMPLES) {
                samples.removeFirst();
            }
        }
    }

    /** Seconds since the oldest source write that {@code targetOffset} does not include. */
    public synchronized double secondsBehind(long targetOffset) {
        long now = clock.getAsLong();
        Sample before = null;
        for (Iterator<Sample> it = samples.iterator(); it.hasNext(); ) {
            Sample s = it.next();
            if (s.offset() > targetOffset) {
                long since = before != null ? before.nanos() : s.nanos();
                return Math.max(0, (now - since) / 1e9);
            }
            before = s;
        }
        return 0;
    }

    /** The source offset of the latest sample (0 before the first). */
    public synchronized long lastSourceOffset() {
        Sample last = samples.peekLast();
        return last == null ? 0 : last.offset();
    }

    public SyncProgress progress() {
        return progress;
    }

    public String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
