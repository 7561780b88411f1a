package dev.cutover.replication;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.ConnectOptions;
import dev.cutover.endpoint.EndpointUri;
import dev.cutover.endpoint.RdbSupport;
import dev.cutover.rdb.RdbException;
import dev.cutover.rdb.RdbReader;
import dev.cutover.resp.RespInput;
import dev.cutover.resp.RespSocket;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * psync mode: the shell is the source's replica. One thread reads the replication link (the
 * RDB, then the command stream) and applies it to the target through a {@link TargetWriter};
 * another acknowledges to the source the offset the target has applied, so the source's own
 * INFO shows the true lag. A dropped link resumes with a partial resync where the source's
 * backlog allows; a full sync cut short starts again from an emptied target.
 */
public final class PsyncReplica implements LinkDriver {
    /** Where the two servers are and how the link behaves. */
    public record Settings(EndpointUri source, ConnectOptions sourceOptions, EndpointUri target,
                           ConnectOptions targetOptions, RdbSupport targetRdb, Path checkpointFile, int window,
                           Duration silenceTimeout, int fullSyncAttempts, long expectedKeys,
                           Optional<String> announceVersion, boolean targetHasFieldTtl, boolean dropFieldTtl,
                           StreamFeatures streams, SinkOpener sink, Runnable afterStop) {
        /** The forward link: the target as an ordinary client; nothing to do after the stop. */
        public Settings(EndpointUri source, ConnectOptions sourceOptions, EndpointUri target, ConnectOptions targetOptions,
                        RdbSupport targetRdb, Path checkpointFile, int window, Duration silenceTimeout,
                        int fullSyncAttempts, long expectedKeys, Optional<String> announceVersion,
                        boolean targetHasFieldTtl, boolean dropFieldTtl, StreamFeatures streams) {
            this(source, sourceOptions, target, targetOptions, targetRdb, checkpointFile, window, silenceTimeout,
                    fullSyncAttempts, expectedKeys, announceVersion, targetHasFieldTtl, dropFieldTtl, streams, null, null);
        }
    }

    /** Opens the sink a full sync writes into, its applied offset starting at {@code offset}. */
    @FunctionalInterface
    public interface SinkOpener {
        CommandSink open(long offset);
    }

    private final Settings settings;
    private final Object sourceOutput = new Object();
    private final ScheduledExecutorService acks;
    private final Thread thread;
    private volatile SyncProgress.Phase phase = SyncProgress.Phase.CONNECTING;
    private volatile boolean linkUp;
    private volatile long linkDownSince = System.nanoTime();
    private volatile String problem = "";
    private volatile String note = "";
    private volatile boolean stopping;
    private volatile RespSocket source;
    private volatile CommandSink writer;
    private volatile RdbReader reader;
    private volatile RdbApplier applier;
    private volatile long rdbTotal = -1;
    private volatile int partialResyncs;
    private volatile int fullSyncs;
    private volatile long droppedTtlCommands;
    private volatile long droppedIdempotencyCommands;
    private volatile boolean flushFirst;
    private boolean inMulti;
    private int unreachable;
    private long lastLostAt = -1;
    private int lostAtSameOffset;
    private static final int MAX_LOSSES_AT_ONE_OFFSET = 20;
    private static final int MAX_UNREACHABLE = 120; // half-second backoffs: about a minute
    private Optional<PsyncCheckpoint> resumeFrom;
    private String replid;

    private PsyncReplica(Settings settings, Optional<PsyncCheckpoint> resumeFrom, boolean flushFirst) {
        this.settings = settings;
        this.resumeFrom = resumeFrom;
        this.flushFirst = flushFirst;
        this.acks = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "cutover-psync-ack"));
        this.thread = daemon(this::run, "cutover-psync");
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Starts the replica. With {@code resumeFrom} it asks for a partial resync from the
     * checkpoint and never falls back to a full copy by itself.
     */
    public static PsyncReplica start(Settings settings, Optional<PsyncCheckpoint> resumeFrom, boolean flushTarget) {
        PsyncReplica replica = new PsyncReplica(settings, resumeFrom, flushTarget);
        replica.thread.start();
        replica.acks.scheduleWithFixedDelay(replica::ackQuietly, 1, 1, TimeUnit.SECONDS);
        return replica;
    }

    private void run() {
        while (!stopping) {
            try {
                syncOnce();
            } catch (LinkLost e) {
                linkDown();
                if (stopping || !problem.isEmpty()) {
                    break;
                }
                note = e.getMessage();
                prepareResume();
                long at = appliedOffset();
                lostAtSameOffset = at == lastLostAt ? lostAtSameOffset + 1 : 1;
                lastLostAt = at;
                if (lostAtSameOffset > MAX_LOSSES_AT_ONE_OFFSET && problem.isEmpty()) {
                    // The same break again and again without progress: something in the stream, not the network.
                    problem = "the link broke " + lostAtSameOffset + " times at offset " + at + " without progress"
                            + " (last: " + e.getMessage() + ")";
                }
                if (!problem.isEmpty() || !backoff()) {
                    break;
                }
            } catch (CutoverException.Connection e) {
                // Once the link has worked, a source that is briefly unreachable is waited for.
                linkDown();
                if (stopping || fullSyncs == 0 && partialResyncs == 0 || ++unreachable > MAX_UNREACHABLE) {
                    if (!stopping) {
                        problem = e.getMessage() + (unreachable > MAX_UNREACHABLE ? " (tried for a minute)" : "");
                    }
                    break;
                }
                note = e.getMessage();
                prepareResume();
                if (!problem.isEmpty() || !backoff()) {
                    break;
                }
            } catch (CutoverException e) {
                linkDown();
                if (!stopping) {
                    problem = e.getMessage();
                }
                break;
            } catch (RuntimeException e) {
                linkDown();
                if (!stopping) {
                    problem = "the psync link failed: " + e;
                }
                break;
            }
        }
        finish();
    }

    /**
     * Before reconnecting: a link that was streaming continues from what the target applied
     * (a transaction cut in half is discarded on the target and comes again whole); a full
     * sync cut short starts over.
     */
    private void prepareResume() {
        CommandSink w = writer;
        if (phase != SyncProgress.Phase.STREAMING || w == null) {
            resumeFrom = Optional.empty();
            return;
        }
        try {
            if (inMulti) {
                w.send(List.of(TargetWriter.bytes("DISCARD")));
                inMulti = false;
            }
            if (!w.drain(Duration.ofSeconds(30)) || w.failure() != null) {
                problem = w.failure() != null ? w.failure()
                        : "the target did not answer within 30s while the link to the source was down";
                return;
            }
        } catch (TargetWriter.WriterStopped e) {
            problem = e.getMessage();
            return;
        }
        resumeFrom = Optional.of(new PsyncCheckpoint(replid, w.applied(), w.appliedDb(), true, "", ""));
    }

    private void linkDown() {
        if (linkUp) {
            linkDownSince = System.nanoTime();
        }
        linkUp = false;
        RespSocket s = source;
        if (s != null) {
            s.close();
        }
    }

    private boolean backoff() {
        try {
            Thread.sleep(500);
            return !stopping;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** One connection to the source: handshake, maybe a full sync, then the stream until it breaks. */
    private void syncOnce() {
        RespSocket src = RespSocket.open(settings.source(), settings.sourceOptions(), null);
        source = src;
        if (stopping) {
            throw new LinkLost("stopping");
        }
        try {
            PsyncHandshake.Answer answer;
            synchronized (sourceOutput) {
                answer = PsyncHandshake.run(src, resumeFrom, settings.announceVersion());
            }
            long base;
            switch (answer) {
                case PsyncHandshake.FullResync full -> {
                    if (resumeFrom.isPresent()) {
                        throw CutoverException.precondition("the source cannot continue from offset "
                                + resumeFrom.get().offset() + " (its backlog no longer holds it, or it restarted): a full"
                                + " resync is needed. Run 'stop', then 'replicate --mode psync --flush-target'");
                    }
                    replid = full.replid();
                    fullSync(src);
                    base = full.offset();
                    writer.startStreamAt(base);
                }
                case PsyncHandshake.Continue cont -> {
                    cont.newReplid().ifPresent(id -> replid = id);
                    if (writer == null) {
                        // A new shell resuming: the stream goes on in the db it was in at the checkpoint.
                        writer = openWriter(resumeFrom.orElseThrow().offset());
                        writer.select(resumeFrom.get().db());
                    }
                    base = writer.applied();
                    partialResyncs++;
                }
            }
            // From here on the link can always continue from what the target applied.
            resumeFrom = Optional.of(new PsyncCheckpoint(replid, base, writer.appliedDb(), false, "", ""));
            checkpoint(false);
            stream(src, base);
        } catch (UncheckedIOException | dev.cutover.resp.RespProtocolException e) {
            throw new LinkLost("the link to the source broke (" + e.getMessage() + ")");
        }
    }

    private CommandSink openWriter(long offset) {
        if (settings.sink() != null) {
            return settings.sink().open(offset);
        }
        return new TargetWriter(RespSocket.open(settings.target(), settings.targetOptions(), "cutover-psync"),
                settings.window(), offset);
    }

    private void fullSync(RespSocket src) {
        fullSyncs++;
        if (fullSyncs > settings.fullSyncAttempts()) {
            throw CutoverException.failed("the full sync broke off " + settings.fullSyncAttempts()
                    + " times (last: " + note + "); the target holds a partial copy: fix the link and run replicate again"
                    + " with --flush-target");
        }
        phase = SyncProgress.Phase.TRANSFER;
        forgetCheckpoint(); // the target is about to change: no older checkpoint may describe it any more
        if (writer != null) {
            writer.close();
        }
        writer = openWriter(-1);
        if (flushFirst || fullSyncs > 1) {
            writer.send(List.of(TargetWriter.bytes("FLUSHALL")));
        }
        src.readTimeout(settings.silenceTimeout());
        RespInput in = src.input();
        int b;
        do {
            b = in.read(); // the source sends newlines while it prepares the RDB
        } while (b == '\n');
        if (b != '$') {
            throw new LinkLost("expected the RDB after FULLRESYNC, found byte " + b);
        }
        String header = in.readLine();
        InputStream rdb;
        RdbReader.Options options = RdbReader.Options.defaults();
        if (header.startsWith("EOF:")) {
            rdbTotal = -1;
            options = options.withEofMark(header.substring(4).getBytes(StandardCharsets.US_ASCII));
            rdb = in.remaining();
        } else {
            rdbTotal = Long.parseLong(header);
            rdb = in.bounded(rdbTotal);
        }
        linkUp = true;
        RdbApplier apply = new RdbApplier(writer, settings.targetRdb(), settings.targetHasFieldTtl(),
                settings.dropFieldTtl(), settings.streams());
        applier = apply;
        RdbReader read = new RdbReader(rdb, options);
        reader = read;
        try {
            read.read(apply);
        } catch (RdbException e) {
            if (in.ended()) {
                throw new LinkLost("the link to the source broke during the RDB transfer at byte " + read.offset());
            }
            throw CutoverException.failed("the source's RDB could not be read: " + e.getMessage()
                    + "; the target holds a partial copy and nothing was reported done");
        } catch (RdbApplier.ApplyFailed e) {
            throw CutoverException.failed(e.getMessage());
        } catch (TargetWriter.WriterStopped e) {
            throw CutoverException.failed(e.getMessage());
        }
        phase = SyncProgress.Phase.LOADING;
        while (!writer.drain(Duration.ofSeconds(1))) {
            if (writer.failure() != null) {
                throw CutoverException.failed(writer.failure());
            }
            if (stopping) {
                throw new LinkLost("stopping");
            }
        }
        if (writer.failure() != null) {
            throw CutoverException.failed(writer.failure());
        }
    }

    private void stream(RespSocket src, long base) {
        RespInput in = src.input();
        src.readTimeout(settings.silenceTimeout());
        long start = in.position();
        phase = SyncProgress.Phase.STREAMING;
        linkUp = true;
        unreachable = 0;
        note = "";
        ackQuietly();
        CommandSink out = writer;
        StreamTranslator translator = new StreamTranslator(settings.targetHasFieldTtl(), settings.dropFieldTtl(),
                settings.streams());
        while (!stopping) {
            if (in.buffered() == 0) {
                out.flush();
            }
            List<byte[]> command = in.readCommand();
            if (command == null) {
                throw new LinkLost("the source closed the link");
            }
            long offset = base + (in.position() - start);
            if (command.isEmpty()) {
                out.advance(offset);
                continue;
            }
            String name = new String(command.get(0), StandardCharsets.US_ASCII);
            try {
                if (name.equalsIgnoreCase("PING")) {
                    out.advance(offset);
                } else if (name.equalsIgnoreCase("REPLCONF")) {
                    out.advance(offset);
                    if (command.size() > 1 && new String(command.get(1), StandardCharsets.US_ASCII)
                            .equalsIgnoreCase("GETACK")) {
                        out.flush();
                        ackQuietly();
                    }
                } else if (name.equalsIgnoreCase("MULTI")) {
                    // Inside a transaction the offset stays before MULTI until EXEC has run.
                    inMulti = true;
                    out.send(command);
                } else if (inMulti && !name.equalsIgnoreCase("EXEC") && !name.equalsIgnoreCase("DISCARD")) {
                    apply(out, translator, command, Long.MIN_VALUE);
                } else {
                    apply(out, translator, command, offset);
                }
            } catch (TargetWriter.WriterStopped e) {
                throw CutoverException.failed(e.getMessage());
            }
        }
    }

    /** One command of the stream, as the target can take it; {@code offset} MIN_VALUE inside MULTI. */
    private void apply(CommandSink out, StreamTranslator translator, List<byte[]> command, long offset) {
        String name = new String(command.get(0), StandardCharsets.US_ASCII);
        if (name.equalsIgnoreCase("EXEC") || name.equalsIgnoreCase("DISCARD")) {
            inMulti = false;
        }
        switch (translator.translate(command)) {
            case StreamTranslator.Forward f -> send(out, command, offset);
            case StreamTranslator.Replace r -> {
                for (int i = 0; i < r.commands().size(); i++) {
                    send(out, r.commands().get(i), i == r.commands().size() - 1 ? offset : Long.MIN_VALUE);
                }
                count(r.dropped());
            }
            case StreamTranslator.Drop d -> {
                count(d.feature());
                if (offset != Long.MIN_VALUE) {
                    out.advance(offset);
                }
            }
            case StreamTranslator.Refuse r -> throw CutoverException.failed("the target cannot take the source's "
                    + r.reason());
        }
    }

    private void count(StreamTranslator.Feature dropped) {
        if (dropped == StreamTranslator.Feature.FIELD_TTL) {
            droppedTtlCommands++;
        } else if (dropped == StreamTranslator.Feature.STREAM_IDEMPOTENCY) {
            droppedIdempotencyCommands++;
        }
    }

    private static void send(CommandSink out, List<byte[]> command, long offset) {
        if (offset == Long.MIN_VALUE) {
            out.send(command);
        } else {
            out.send(command, offset);
        }
    }

    /** Field TTLs dropped with --drop-field-ttl: from the RDB, and TTL commands from the stream. */
    public long droppedFieldTtls() {
        RdbApplier a = applier;
        return (a == null ? 0 : a.droppedFieldTtls()) + droppedTtlCommands;
    }

    private void ackQuietly() {
        RespSocket s = source;
        CommandSink w = writer;
        if (s == null || w == null || !linkUp || phase != SyncProgress.Phase.STREAMING) {
            return;
        }
        try {
            synchronized (sourceOutput) {
                s.output().write("REPLCONF", "ACK", Long.toString(w.applied()));
                s.output().flush();
            }
        } catch (RuntimeException e) {
            // the reading thread sees the broken link and reconnects
        }
        if (w.failure() != null && problem.isEmpty() && !stopping) {
            problem = w.failure();
            linkDown();
        }
    }

    /** After the link ends: drain, write a clean checkpoint if everything sent was applied. */
    private void finish() {
        acks.shutdownNow();
        CommandSink w = writer;
        if (w == null) {
            return;
        }
        boolean drained = w.drain(Duration.ofSeconds(30));
        if (drained && w.failure() == null && phase == SyncProgress.Phase.STREAMING && replid != null) {
            checkpoint(true);
        }
        w.close();
    }

    private void forgetCheckpoint() {
        if (settings.checkpointFile() != null) {
            try {
                java.nio.file.Files.deleteIfExists(settings.checkpointFile());
            } catch (java.io.IOException e) {
                throw CutoverException.failed("cannot remove the old psync checkpoint " + settings.checkpointFile()
                        + " before a full sync (" + e.getMessage() + "): remove it by hand");
            }
        }
    }

    private void checkpoint(boolean clean) {
        if (settings.checkpointFile() == null || replid == null || writer == null) {
            return;
        }
        try {
            new PsyncCheckpoint(replid, writer.applied(), writer.appliedDb(), clean, settings.source().address(),
                    settings.target().address()).write(settings.checkpointFile());
        } catch (CutoverException e) {
            note = e.getMessage();
        }
    }

    @Override
    public SyncProgress progress() {
        RdbReader r = reader;
        CommandSink w = writer;
        long read = r == null ? 0 : r.offset();
        long applied = w == null ? 0 : w.applied();
        double loaded = phase == SyncProgress.Phase.LOADING ? 99 : 0;
        long downFor = linkUp ? 0 : (System.nanoTime() - linkDownSince) / 1_000_000_000L;
        return new SyncProgress(phase == SyncProgress.Phase.STREAMING && !linkUp ? SyncProgress.Phase.CONNECTING : phase,
                read, rdbTotal, loaded, linkUp ? "up" : "down", downFor, applied, keysLoaded(), settings.expectedKeys());
    }

    @Override
    public long appliedOffset() {
        CommandSink w = writer;
        return w == null ? 0 : w.applied();
    }

    @Override
    public String problem() {
        CommandSink w = writer;
        if (problem.isEmpty() && w != null && w.failure() != null) {
            return w.failure();
        }
        return problem;
    }

    /** Whether this link writes into an old source through a {@link ReplicaFeed} (psync in reverse). */
    public boolean feedsAnOldSource() {
        return settings.sink() != null;
    }

    /** What the link is doing besides its phase: the last reconnect reason, say. */
    public String note() {
        return note;
    }

    public long keysLoaded() {
        RdbApplier a = applier;
        return a == null ? 0 : a.keys();
    }

    /** Keys of the last full sync written with RESTORE (the rest went as ordinary commands). */
    public long keysRestored() {
        RdbApplier a = applier;
        return a == null ? 0 : a.restored();
    }

    public int partialResyncs() {
        return partialResyncs;
    }

    public int fullSyncs() {
        return fullSyncs;
    }

    public boolean alive() {
        return thread.isAlive();
    }

    @Override
    public String stop() {
        return stop(true);
    }

    /**
     * Ends the link without its after-stop step: leaving the shell while this shell feeds an old
     * source leaves that source a (disconnected, read-only) replica rather than reopening it.
     */
    public String detach() {
        return stop(false);
    }

    private String stop(boolean finishing) {
        stopping = true;
        RespSocket s = source;
        if (s != null) {
            s.close();
        }
        try {
            thread.join(Duration.ofSeconds(90)); // two drains of at most 30s each
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        acks.shutdownNow();
        if (finishing && settings.afterStop() != null && !thread.isAlive()) {
            settings.afterStop().run();
        }
        if (thread.isAlive()) {
            return "the psync link did not finish draining within 90s: check the target before resuming"
                    + " (no clean checkpoint is promised)";
        }
        CommandSink w = writer;
        if (w == null || replid == null || phase != SyncProgress.Phase.STREAMING) {
            return "the psync link ended before the full sync completed";
        }
        long dropped = droppedFieldTtls();
        return (dropped > 0 ? dropped + " hash-field TTL(s) dropped (--drop-field-ttl); " : "")
                + settings.streams().summary(droppedIdempotencyCommands)
                + "the target applied the source's stream up to offset " + w.applied()
                + ("".equals(problem) ? "; 'replicate --mode psync --resume' continues from there" : "");
    }

    /** The link to the source dropped; the loop reconnects. */
    static final class LinkLost extends RuntimeException {
        LinkLost(String message) {
            super(message, null, false, false);
        }
    }
}
