package dev.cutover.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The reply side of every connection of one event loop: frames what the upstream sends, matches
 * each reply to the request waiting for it, forwards it (streamed, not buffered), and keeps the
 * subscriptions up to date from the upstream's own confirmations. Pub/Sub messages and other
 * push frames go to the client as they come. Replies to the proxy's own replayed commands are
 * swallowed; a reply the proxy must replace (an EXEC it aborts) is held back until it ends.
 */
final class ReplyRouter {
    private static final int OUT_OF_BAND = 0;
    private static final int REPLY = 1;
    private final EventLoop loop;
    /** The replies of this read that answered client requests: how long each request waited for dispatch, and how many. */
    private long[] completed = new long[64];
    private int[] completedTimes = new int[64];
    private int completedCount;

    ReplyRouter(EventLoop loop) {
        this.loop = loop;
    }

    void process(ClientPair p, byte[] b, int from, int to, long readAt) throws IOException {
        int pos = from;
        int forwardFrom = from;
        completedCount = 0;
        ReplyScanner scanner = p.scanner;
        while (pos < to) {
            if (scanner.atBoundary()) {
                if (p.readyToSwitch()) {
                    appendRange(p, b, forwardFrom, pos);
                    forwardFrom = to; // nothing more is owed: what follows is Pub/Sub traffic from the old upstream
                    p.completeSwitch();
                    break;
                }
                if (plainBatchAtHead(p)) {
                    int end = repliesToBatch(p, b, pos, to);
                    if (end > pos) {
                        pos = end;
                        if (!p.pending.isEmpty() && p.pending.kind() == PendingQueue.LOCAL) {
                            appendRange(p, b, forwardFrom, pos);
                            forwardFrom = pos;
                            emitLocal(p);
                        }
                        continue;
                    }
                }
                scanner.captureArrays = p.state.protocol == 2
                        && (p.state.subscriptionCount() > 0 || subscribing(p));
                boolean hidden = !p.pending.isEmpty() && (p.pending.kind() == PendingQueue.REPLACE
                        || (p.pending.flags() & (PendingQueue.SWALLOW | PendingQueue.MUTED)) != 0);
                if (hidden) {
                    appendRange(p, b, forwardFrom, pos);
                    forwardFrom = pos;
                    // Kept only if it may turn out to be a push frame the client must get after all.
                    byte first = b[pos];
                    p.holdingFrame = first == '>' || first == '|' || first == '*' && scanner.captureArrays;
                    p.droppingFrame = !p.holdingFrame;
                    if (p.holdingFrame) {
                        p.heldFrame.reset();
                    }
                }
            }
            int end = scanner.scan(b, pos, to);
            if (p.holdingFrame) {
                p.heldFrame.write(b, pos, end - pos);
            }
            if (p.holdingFrame || p.droppingFrame) {
                forwardFrom = end;
            }
            pos = end;
            if (scanner.frameDone()) {
                boolean outOfBand = classify(p) == OUT_OF_BAND;
                if (outOfBand) {
                    if (p.holdingFrame) {
                        p.appendClient(p.heldFrame.toByteArray());
                    }
                    if (p.heldFrame.size() > 64 * 1024) {
                        p.heldFrame = new java.io.ByteArrayOutputStream(0);
                    }
                } else {
                    complete(p);
                    if (!p.pending.isEmpty() && p.pending.kind() == PendingQueue.LOCAL) {
                        appendRange(p, b, forwardFrom, pos);
                        forwardFrom = pos;
                        emitLocal(p);
                    }
                }
                p.holdingFrame = false;
                p.droppingFrame = false;
            }
        }
        if (forwardFrom < to) {
            p.writeClient(ByteBuffer.wrap(b, forwardFrom, to - forwardFrom));
        } else {
            p.flushClient();
        }
        if (completedCount > 0) {
            if (p.clientSendQueued()) { // the replies wait for the loop's batch of sends: their time counts to it
                for (int i = 0; i < completedCount; i++) {
                    loop.recordAfterSends(completed[i] - readAt, completedTimes[i]);
                }
            } else {
                long added = System.nanoTime() - readAt;
                for (int i = 0; i < completedCount; i++) {
                    loop.latency.record(completed[i] + added, completedTimes[i]);
                }
            }
        }
        if (p.quitting && p.pending.isEmpty()) {
            p.closeWhenFlushed();
        } else if (p.readyToSwitch()) {
            p.completeSwitch();
        } else {
            p.replaySettled();
        }
    }

    /**
     * The head entry is requests whose replies go to the client as they are and change nothing:
     * most of a pipelined batch. Out-of-band frames (push, RESP2 messages) are aggregates, so a
     * one-line or bulk frame here is always the next reply.
     */
    private static boolean plainBatchAtHead(ClientPair p) {
        PendingQueue q = p.pending;
        return !q.isEmpty() && q.kind() == PendingQueue.REPLY && q.ref() == null
                && (q.flags() & (PendingQueue.SWALLOW | PendingQueue.MUTED)) == 0;
    }

    /**
     * Counts off, together, the whole one-line and bulk replies at {@code pos} that answer the head
     * entry (no more than it waits for); returns the offset past the last, or {@code pos} if none.
     */
    private int repliesToBatch(ClientPair p, byte[] b, int pos, int to) {
        PendingQueue q = p.pending;
        ReplyScanner scanner = p.scanner;
        int wanted = q.count();
        int got = 0;
        while (got < wanted) {
            int end = scanner.simpleFrame(b, pos, to);
            if (end < 0) {
                break;
            }
            pos = end;
            got++;
        }
        if (got > 0) {
            if ((q.flags() & PendingQueue.WRITE) != 0) {
                loop.inflightWrites -= got;
            }
            completed(q.nanos(), got);
            q.countDown(got);
        }
        return pos;
    }

    private static boolean subscribing(ClientPair p) {
        return !p.pending.isEmpty() && (p.pending.kind() == PendingQueue.SUBSCRIPTIONS
                || p.pending.kind() == PendingQueue.UNSUBSCRIBE_ALL);
    }

    private static void appendRange(ClientPair p, byte[] b, int from, int to) {
        if (to > from) {
            p.appendClient(b, from, to - from);
        }
    }

    /** Whether the frame just ended answers the head request, and what it does to the subscriptions. */
    private int classify(ClientPair p) {
        ReplyScanner s = p.scanner;
        boolean push = s.frameType() == '>';
        if (s.captured() == 0) {
            return push || p.pending.isEmpty() ? OUT_OF_BAND : REPLY;
        }
        int kind = -1;
        boolean add = false;
        if (s.headIs(0, "message") || s.headIs(0, "pmessage") || s.headIs(0, "smessage")
                || s.headIs(0, "invalidate")) {
            return OUT_OF_BAND;
        } else if (s.headIs(0, "subscribe")) {
            kind = ConnectionState.CHANNELS;
            add = true;
        } else if (s.headIs(0, "psubscribe")) {
            kind = ConnectionState.PATTERNS;
            add = true;
        } else if (s.headIs(0, "ssubscribe")) {
            kind = ConnectionState.SHARD;
            add = true;
        } else if (s.headIs(0, "unsubscribe")) {
            kind = ConnectionState.CHANNELS;
        } else if (s.headIs(0, "punsubscribe")) {
            kind = ConnectionState.PATTERNS;
        } else if (s.headIs(0, "sunsubscribe")) {
            kind = ConnectionState.SHARD;
        }
        if (kind < 0) {
            return push || p.pending.isEmpty() ? OUT_OF_BAND : REPLY;
        }
        if (s.captured() > 1 && !s.headNull(1)) {
            String name = Resp.latin1(s.headBytes(1));
            p.state.subscribed(kind, name, add);
        }
        return subscribing(p) ? REPLY : OUT_OF_BAND;
    }

    /** The head request got (one of) its replies. */
    private void complete(ClientPair p) {
        PendingQueue q = p.pending;
        byte kind = q.kind();
        byte flags = q.flags();
        Object ref = q.ref();
        long requestDelay = q.nanos();
        boolean error = p.scanner.frameType() == '-' || p.scanner.frameType() == '!';
        boolean done;
        switch (kind) {
            case PendingQueue.UNSUBSCRIBE_ALL -> {
                done = p.scanner.headNull(1) || p.state.subscriptions[q.count()].isEmpty() || error;
                if (done) {
                    q.pop();
                }
            }
            case PendingQueue.REPLACE -> {
                q.pop();
                done = true;
            }
            default -> done = error && kind == PendingQueue.SUBSCRIPTIONS ? popped(q) : q.countDown();
        }
        if ((flags & PendingQueue.WRITE) != 0) {
            loop.inflightWrites--; // a write request answered (an entry may stand for several)
        }
        boolean forwarded = (flags & (PendingQueue.SWALLOW | PendingQueue.MUTED)) == 0 && kind != PendingQueue.REPLACE;
        if (!done) {
            if (forwarded && kind == PendingQueue.REPLY) {
                completed(requestDelay); // one of several requests of a batch: each is measured
            }
            return;
        }
        if ((flags & PendingQueue.SWALLOW) != 0) {
            if (error) {
                loop.replayErrors++;
                loop.lastReplayError = p.scanner.errorText();
            }
        } else if ((flags & PendingQueue.MUTED) != 0) {
            if (!error && ref instanceof ConnectionState.Change change) {
                change.apply(p.state);
            }
        } else if (kind == PendingQueue.REPLACE) {
            p.appendClient((byte[]) ref);
        } else {
            if (!error && ref instanceof ConnectionState.Change change) {
                change.apply(p.state);
            }
            completed(requestDelay);
        }
    }

    private void completed(long requestDelay) {
        completed(requestDelay, 1);
    }

    private void completed(long requestDelay, int times) {
        if (completedCount == completed.length) {
            completed = java.util.Arrays.copyOf(completed, completedCount * 2);
            completedTimes = java.util.Arrays.copyOf(completedTimes, completedCount * 2);
        }
        completed[completedCount] = requestDelay;
        completedTimes[completedCount++] = times;
    }

    private static boolean popped(PendingQueue q) {
        q.pop();
        return true;
    }

    /** Replies the proxy made up go to the client once every reply before them has. */
    void emitLocal(ClientPair p) {
        while (!p.pending.isEmpty() && p.pending.kind() == PendingQueue.LOCAL) {
            p.appendClient((byte[]) p.pending.ref());
            p.pending.pop();
        }
    }
}
