package dev.cutover.replication;

import dev.cutover.resp.RespError;
import dev.cutover.resp.RespSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;

/**
 * Applies commands to the target pipelined, in order, with a bounded number in flight. A reader
 * thread takes the replies in order; each command may carry the source offset it completes, so
 * {@link #applied} is what the target has really executed, not merely what was sent. The first
 * error reply stops the offset there and is kept for the operator ({@link #failure}).
 */
public final class TargetWriter implements CommandSink {
    private static final long NO_OFFSET = Long.MIN_VALUE;

    /** What is in flight: the command's name and key for an error message, and its offset. */
    private static final class Pending {
        final byte[] name;
        final byte[] key;
        long offset;

        Pending(byte[] name, byte[] key, long offset) {
            this.name = name;
            this.key = key;
            this.offset = offset;
        }
    }

    private final RespSocket socket;
    private final int window;
    private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
    private final Thread replies;
    private volatile long applied;
    private volatile int appliedDb;
    private volatile long repliesRead;
    private volatile String failure;
    private volatile boolean closed;
    private int db;

    public TargetWriter(RespSocket socket, int window, long initialOffset) {
        this.socket = socket;
        this.window = window;
        this.applied = initialOffset;
        socket.readTimeout(Duration.ZERO);
        this.replies = new Thread(this::readReplies, "cutover-target-replies");
        replies.setDaemon(true);
        replies.start();
    }

    /** Sends one command (buffered); {@code offset} is the source offset it completes, or none. */
    @Override
    public void send(List<byte[]> command, long offset) {
        checkOpen();
        synchronized (inFlight) {
            while (inFlight.size() >= window && failure == null && !closed) {
                if (socket.output().pending() > 0) {
                    flushLocked();
                }
                try {
                    inFlight.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new WriterStopped("interrupted");
                }
            }
            checkOpen();
            inFlight.addLast(new Pending(command.get(0), command.size() > 1 ? command.get(1) : null, offset));
        }
        trackDb(command);
        try {
            socket.output().write(command);
        } catch (RuntimeException e) {
            fail("the connection to the target failed: " + e.getMessage());
            throw new WriterStopped(failure);
        }
    }

    @Override
    public void send(List<byte[]> command) {
        send(command, NO_OFFSET);
    }

    /** Makes sure the next commands run in {@code target} db. */
    @Override
    public void select(int target) {
        if (target != db) {
            send(List.of(bytes("SELECT"), bytes(Integer.toString(target))));
        }
    }

    private void trackDb(List<byte[]> command) {
        if (command.size() == 2 && new String(command.get(0), StandardCharsets.US_ASCII).equalsIgnoreCase("SELECT")) {
            try {
                db = Integer.parseInt(new String(command.get(1), StandardCharsets.US_ASCII));
            } catch (NumberFormatException ignored) {
                // the target answers with an error, which the reply reader reports
            }
        }
    }

    /**
     * The source moved to {@code offset} with nothing to apply (PING, REPLCONF): it counts as
     * applied once everything sent before it is.
     */
    @Override
    public void advance(long offset) {
        synchronized (inFlight) {
            Pending last = inFlight.peekLast();
            if (last == null) {
                if (failure == null) {
                    applied = offset;
                }
            } else {
                last.offset = offset;
            }
        }
    }

    @Override
    public void flush() {
        synchronized (inFlight) {
            flushLocked();
        }
    }

    private void flushLocked() {
        try {
            socket.output().flush();
        } catch (RuntimeException e) {
            fail("the connection to the target failed: " + e.getMessage());
        }
    }

    /** Flushes and waits until every command sent has its reply (or the writer failed). */
    @Override
    public boolean drain(Duration timeout) {
        flush();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (inFlight) {
            while (!inFlight.isEmpty() && failure == null && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    inFlight.wait(Math.max(1, Math.min(100, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return inFlight.isEmpty();
        }
    }

    /** The db the target connection is in after the last SELECT it executed (not merely queued). */
    @Override
    public int appliedDb() {
        return appliedDb;
    }

    /** The source offset of the last command the target executed. */
    @Override
    public long applied() {
        return applied;
    }

    /** Sets the applied offset once a full sync's data is all in (the stream starts there). */
    @Override
    public void startStreamAt(long offset) {
        synchronized (inFlight) {
            if (!inFlight.isEmpty()) {
                throw new IllegalStateException("commands still in flight");
            }
            applied = offset;
        }
    }

    public long repliesRead() {
        return repliesRead;
    }

    public int inFlight() {
        synchronized (inFlight) {
            return inFlight.size();
        }
    }

    /** The first error the target replied (or the connection's failure), or null. */
    @Override
    public String failure() {
        return failure;
    }

    private void readReplies() {
        try {
            while (!closed) {
                Object reply = socket.input().readReply();
                Pending done;
                synchronized (inFlight) {
                    done = inFlight.pollFirst();
                    if (done == null) {
                        fail("the target sent a reply nobody asked for");
                        return;
                    }
                    String error = error(reply);
                    if (error != null) {
                        fail("the target refused " + describe(done) + ": " + error);
                        return;
                    }
                    if (done.offset != NO_OFFSET && failure == null) {
                        applied = done.offset;
                    }
                    if ("OK".equals(reply) && done.key != null && done.name.length == 6
                            && new String(done.name, StandardCharsets.US_ASCII).equalsIgnoreCase("SELECT")) {
                        appliedDb = Integer.parseInt(new String(done.key, StandardCharsets.US_ASCII));
                    }
                    repliesRead++;
                    inFlight.notifyAll();
                }
            }
        } catch (RuntimeException e) {
            if (!closed) {
                fail("the connection to the target failed: " + e.getMessage());
            }
        }
    }

    private static String error(Object reply) {
        if (reply instanceof RespError e) {
            return e.message();
        }
        if (reply instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof RespError e) {
                    return e.message() + " (inside a transaction)";
                }
            }
        }
        return null;
    }

    private static String describe(Pending p) {
        String name = new String(p.name, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
        if (p.key == null) {
            return "'" + name + "'";
        }
        String key = new String(p.key, StandardCharsets.UTF_8);
        return "'" + name + " " + (key.length() > 60 ? key.substring(0, 60) + "…" : key) + "'";
    }

    private void fail(String message) {
        synchronized (inFlight) {
            if (failure == null) {
                failure = message;
            }
            inFlight.notifyAll();
        }
    }

    private void checkOpen() {
        if (failure != null) {
            throw new WriterStopped(failure);
        }
        if (closed) {
            throw new WriterStopped("the writer is closed");
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        closed = true;
        synchronized (inFlight) {
            inFlight.notifyAll();
        }
        socket.close();
        replies.interrupt();
    }

    /** The writer cannot take more commands: the target refused one or the connection broke. */
    public static final class WriterStopped extends RuntimeException {
        WriterStopped(String message) {
            super(message);
        }
    }
}
