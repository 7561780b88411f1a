package dev.cutover.proxy;

import dev.cutover.proxy.CommandTable.Special;
import dev.cutover.proxy.ConnectionState.Change;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The request side of every connection of one event loop: frames requests, decides per request
 * whether it goes upstream now or is held (writes while writes are held; everything while a
 * move is under way; and, to keep order, everything after a held request on that connection),
 * and notes what the upstream's reply will change in the connection's state.
 */
final class Dispatcher {
    private static final long RETRY_NANOS = 1_000_000_000L;
    private final RequestParser parser = new RequestParser();
    private final EventLoop loop;
    /** The command name looked up last, as the client spelled it, and its flags in {@link #lastTable}: pipelines repeat commands. */
    private final byte[] lastName = new byte[24];
    private int lastNameLen = -1;
    private int lastFlags;
    private CommandTable lastTable;
    /** Counts what held connections buffer, apart from {@link #parser} (which is mid-request for none of them). */
    private final RequestParser counter = new RequestParser();

    Dispatcher(EventLoop loop) {
        this.loop = loop;
    }

    /** Dispatches every complete request buffered for {@code p}; returns how many went out. */
    int process(ClientPair p, long now) {
        if (p.blocked || p.phase == ClientPair.Phase.CLOSED || p.quitting) {
            return 0; // after QUIT (or a protocol error) nothing more the client sent is run
        }
        byte[] b = p.in.array();
        int pos = p.in.start();
        int limit = p.in.end();
        int sent = 0;
        while (pos < limit) {
            int end;
            try {
                parser.dialect = loop.engine.table.dialect();
                parser.progress = p.parsed;
                end = parser.parse(b, pos, limit, authenticated(p));
            } catch (RespProtocolException e) {
                p.parsed.clear();
                p.endRun(); // the requests before the bad bytes still go, and get their replies first
                p.in.consumedTo(limit);
                finish(p, now);
                p.protocolError(e.getMessage());
                return sent;
            }
            if (end == RequestParser.INCOMPLETE) {
                break;
            }
            if (parser.argc > 0) {
                if (!dispatch(p, b, pos, end, now)) {
                    p.endRun();
                    if (p.phase == ClientPair.Phase.CLOSED) {
                        return sent;
                    }
                    p.in.consumedTo(pos);
                    p.block();
                    return sent + finish(p, now);
                }
                sent++;
                if (p.quitting) {
                    pos = limit; // a server runs nothing a client sends after QUIT
                    break;
                }
            }
            pos = end;
        }
        p.endRun();
        p.in.consumedTo(pos);
        return sent + finish(p, now);
    }

    private int finish(ClientPair p, long readAt) {
        if (p.unstamped > 0) {
            p.flushUpstream();
            p.stampDispatched(readAt);
        }
        p.flushClient();
        p.updateInterest();
        return 0;
    }

    /** False while the proxy itself authenticates clients and this one has not (the server's limits then apply). */
    private boolean authenticated(ClientPair p) {
        return !(loop.engine.clientAuth instanceof ClientAuth.Password) || p.state.proxyAuthenticated;
    }

    /**
     * How many complete requests a held connection has buffered, counted on from where the last
     * count stopped (nothing is consumed while it is held, so that place stays).
     */
    int countRequests(ClientPair p) {
        byte[] b = p.in.array();
        int base = p.in.start();
        int limit = p.in.end();
        int pos = base + p.countedTo;
        int n = p.counted;
        counter.dialect = loop.engine.table.dialect();
        counter.progress = p.countProgress;
        while (pos < limit) {
            int end;
            try {
                end = counter.parse(b, pos, limit, authenticated(p));
            } catch (RespProtocolException e) {
                break; // the client gets the protocol error in its turn, when the held requests go
            }
            if (end == RequestParser.INCOMPLETE) {
                break;
            }
            n += counter.argc > 0 ? 1 : 0;
            pos = end;
        }
        p.countedTo = pos - base;
        p.counted = n;
        return n;
    }

    /** Sends one request upstream, or returns false to hold it. */
    private boolean dispatch(ClientPair p, byte[] b, int start, int end, long now) {
        CommandTable table = loop.engine.table;
        int flags = flags(table, parser.nameBytes(b), parser.nameOff, parser.nameLen);
        Special special = CommandTable.special(flags);
        List<byte[]> args = null;
        if (special != Special.NONE || (flags & CommandTable.CONTAINER) != 0 || parser.inline) {
            args = parser.args(b);
            if ((flags & CommandTable.CONTAINER) != 0 && args.size() > 1) {
                int sub = table.lookup(lower(args.get(0)) + "|" + lower(args.get(1)));
                flags = (flags & ~(CommandTable.WRITE | CommandTable.BLOCKING))
                        | (sub & (CommandTable.WRITE | CommandTable.BLOCKING));
            }
        }
        // A command the table does not know cannot be told apart from a write: a hold holds it.
        boolean write = (flags & (CommandTable.WRITE | CommandTable.KNOWN)) != CommandTable.KNOWN;
        ConnectionState s = p.state;
        if (loop.paused || p.switchPending()) {
            return false;
        }
        byte[] rewritten = parser.inline ? Resp.command(args) : null; // the upstream runs what was classified
        if (loop.engine.clientAuth instanceof ClientAuth.Password password) {
            List<byte[]> allowed = ProxyLogin.gate(p, password, special, flags, args);
            if (allowed == ProxyLogin.ANSWERED) {
                loop.router.emitLocal(p);
                return true; // answered by the proxy itself
            }
            if (allowed != args) {
                args = allowed;
                rewritten = Resp.command(args);
            }
        }
        if (loop.holdWrites && (s.multiOpen ? special == Special.EXEC && s.multiWrites && !s.abortExec : write)) {
            return false;
        }
        if (special == Special.CLIENT && ReplyMode.of(args) != null) {
            return setReplyMode(p, ReplyMode.of(args));
        }
        if (special == Special.RESET) {
            s.repliesOff = false;
            s.skipNext = false;
        }
        loop.commands++;
        if (p.phase == ClientPair.Phase.DOWN) {
            if (now - p.lastAttempt >= RETRY_NANOS) {
                p.connect(p.target, Optional.empty());
            }
            if (p.phase == ClientPair.Phase.DOWN) {
                if (s.repliesOff || s.skipNext) {
                    s.skipNext = false; // the client asked for no reply: not even this error
                } else {
                    p.pending.add(PendingQueue.LOCAL, (byte) 0, 0, 0, p.upstreamError());
                    loop.router.emitLocal(p);
                }
                return true;
            }
        }
        byte kind = PendingQueue.REPLY;
        int count = 1;
        boolean relogin = false;
        byte pf = write ? PendingQueue.WRITE : 0;
        if (s.repliesOff || s.skipNext) {
            pf |= PendingQueue.MUTED;
            s.skipNext = false;
        }
        if ((flags & CommandTable.BLOCKING) != 0 && !s.multiOpen) {
            pf |= PendingQueue.BLOCKING;
        }
        Object ref = null;
        byte[] replaceWith = null;
        if (s.multiOpen && queues(special)) {
            s.queued.add(rewritten != null ? rewritten : Arrays.copyOfRange(b, start, end));
            s.multiWrites |= write;
            Change change = special == Special.NONE || special == Special.MONITOR ? null : Tracker.change(special, args);
            if (change != null) {
                s.queuedChanges.add(change);
            }
            pf &= PendingQueue.MUTED; // only queued: nothing runs before EXEC
        } else if (special != Special.NONE) {
            switch (special) {
                case SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE -> {
                    if (args.size() > 1) {
                        kind = PendingQueue.SUBSCRIPTIONS;
                        count = args.size() - 1;
                    }
                }
                case UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE -> {
                    int which = special == Special.UNSUBSCRIBE ? ConnectionState.CHANNELS
                            : special == Special.PUNSUBSCRIBE ? ConnectionState.PATTERNS : ConnectionState.SHARD;
                    kind = args.size() > 1 ? PendingQueue.SUBSCRIPTIONS : PendingQueue.UNSUBSCRIBE_ALL;
                    count = args.size() > 1 ? args.size() - 1 : which;
                }
                case MULTI -> {
                    s.multiOpen = true;
                    s.multiWrites = false;
                }
                case EXEC -> {
                    if (s.multiOpen) {
                        if (s.abortExec) {
                            // WATCHed on the upstream this connection left: abort as a WATCH failure would
                            replaceWith = s.protocol == 3 ? Resp.NULL_3 : Resp.NIL_ARRAY_2;
                        } else {
                            ref = new ConnectionState.Exec(List.copyOf(s.queuedChanges));
                            pf |= s.multiWrites ? PendingQueue.WRITE : 0;
                        }
                        s.endTransaction();
                    }
                    s.abortExec = false;
                }
                case DISCARD, UNWATCH -> {
                    s.endTransaction();
                    s.abortExec = false;
                }
                case WATCH -> s.watching = true;
                case RESET -> {
                    s.endTransaction();
                    s.abortExec = false;
                    ref = new ConnectionState.Reset();
                    relogin = loop.engine.clientAuth instanceof ClientAuth.Password;
                }
                case QUIT -> p.quitting = true;
                case AUTH, HELLO -> {
                    List<byte[]> mapped = loop.engine.authMap.isEmpty() ? null
                            : Tracker.remapped(special, args, loop.engine.authMap);
                    if (mapped != null) {
                        args = mapped;
                        rewritten = Resp.command(mapped);
                    }
                    ref = Tracker.change(special, args);
                }
                default -> ref = Tracker.change(special, args);
            }
        }
        boolean newEntry = true;
        if (rewritten != null) {
            p.appendUpstream(rewritten, 0, rewritten.length);
            p.pending.add(kind, pf, count, 0, ref);
        } else if (replaceWith != null) {
            byte[] discard = Resp.ascii("*1\r\n$7\r\nDISCARD\r\n");
            p.appendUpstream(discard, 0, discard.length);
            p.pending.add(PendingQueue.REPLACE, (byte) (pf & PendingQueue.MUTED), 1, 0, replaceWith);
        } else {
            p.forward(b, start, end);
            if (kind == PendingQueue.REPLY && ref == null) {
                newEntry = p.pending.addPlain(pf);
            } else {
                p.pending.add(kind, pf, count, 0, ref);
            }
        }
        if (relogin) {
            // RESET logged the upstream connection out, as it does the client: the proxy logs it in again
            p.upstreamPrelude().forEach(c -> replayCommand(p, c));
        }
        if ((pf & PendingQueue.WRITE) != 0) {
            loop.inflightWrites++;
        }
        if (newEntry) {
            p.unstamped++;
        }
        return true;
    }

    private int flags(CommandTable table, byte[] b, int off, int len) {
        if (table == lastTable && len == lastNameLen && sameName(b, off, len)) {
            return lastFlags;
        }
        int flags = table.lookup(b, off, len);
        if (len <= lastName.length) {
            System.arraycopy(b, off, lastName, 0, len);
            lastNameLen = len;
            lastFlags = flags;
            lastTable = table;
        }
        return flags;
    }

    private boolean sameName(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (b[off + i] != lastName[i]) {
                return false;
            }
        }
        return true;
    }

    /** CLIENT REPLY ON, OFF or SKIP. */
    enum ReplyMode {
        ON, OFF, SKIP;

        /** The mode a CLIENT REPLY request sets, or null for any other CLIENT request. */
        static ReplyMode of(List<byte[]> args) {
            if (args.size() != 3 || !lower(args.get(1)).equals("reply")) {
                return null;
            }
            return switch (lower(args.get(2))) {
                case "on" -> ON;
                case "off" -> OFF;
                case "skip" -> SKIP;
                default -> null; // the upstream answers with its own syntax error
            };
        }
    }

    /**
     * CLIENT REPLY stays at the proxy: the upstream keeps replying (so every reply still matches its
     * request, and a switch still knows when nothing is in flight) and the proxy drops the replies
     * the client asked not to get. ON answers OK, in its turn; OFF and SKIP answer nothing.
     */
    private boolean setReplyMode(ClientPair p, ReplyMode mode) {
        ConnectionState s = p.state;
        if (s.multiOpen) {
            p.pending.add(PendingQueue.LOCAL, (byte) 0, 0, 0,
                    Resp.error("ERR cutover proxy: CLIENT REPLY inside MULTI is not supported; send it before MULTI"));
            loop.router.emitLocal(p);
            return true;
        }
        switch (mode) {
            case ON -> {
                s.repliesOff = false;
                s.skipNext = false;
                p.pending.add(PendingQueue.LOCAL, (byte) 0, 0, 0, Resp.OK);
                loop.router.emitLocal(p);
            }
            case OFF -> s.repliesOff = true;
            case SKIP -> s.skipNext = !s.repliesOff;
        }
        return true;
    }

    private static boolean queues(Special s) {
        return s != Special.MULTI && s != Special.EXEC && s != Special.DISCARD && s != Special.WATCH
                && s != Special.QUIT && s != Special.RESET;
    }

    /** Puts the connection's state on a fresh upstream connection; the replies are the proxy's. */
    void replay(ClientPair p, Upstream to, Optional<Credentials> mapped) {
        p.state.replay(to, mapped, new ConnectionState.Replay() {
            @Override
            public void command(List<byte[]> args, byte kind, int replies) {
                raw(Resp.command(args), kind, replies);
            }

            @Override
            public void raw(byte[] resp) {
                raw(resp, PendingQueue.REPLY, 1);
            }

            private void raw(byte[] resp, byte kind, int replies) {
                p.appendUpstream(resp, 0, resp.length);
                p.pending.add(kind, PendingQueue.SWALLOW, replies, 0, null);
            }
        });
    }

    /** One more command of the proxy's own on the connection's upstream (its reply swallowed). */
    void replayCommand(ClientPair p, List<byte[]> args) {
        byte[] resp = Resp.command(args);
        p.appendUpstream(resp, 0, resp.length);
        p.pending.add(PendingQueue.REPLY, PendingQueue.SWALLOW, 1, 0, null);
    }

    static String lower(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }
}
