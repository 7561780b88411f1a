package dev.cutover.replication;

import dev.cutover.resp.RespInput;
import dev.cutover.resp.RespOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This shell as the primary of an old source: the server runs {@code REPLICAOF <shell> <port>},
 * gets an empty RDB, then the commands psync mode reads from the new primary, as an ordinary
 * replication stream. So the old source stays current and read-only (clients get READONLY), as a
 * native replica would, even where it cannot load the new primary's RDB. Its {@code REPLCONF ACK}
 * tells which of those commands it has executed.
 */
public final class ReplicaFeed implements CommandSink {
    /** An empty RDB every server loads: version 9, EOF, checksum 0 (not checked). */
    private static final byte[] EMPTY_RDB = concat("REDIS0009".getBytes(StandardCharsets.US_ASCII),
            new byte[] {(byte) 0xFF, 0, 0, 0, 0, 0, 0, 0, 0});
    private static final long NO_OFFSET = Long.MIN_VALUE;

    private final ServerSocket listener;
    private final String replid = HexFormat.of().formatHex(new SecureRandom().generateSeed(20));
    private final ArrayDeque<long[]> marks = new ArrayDeque<>(); // {feed offset after, source offset}
    private final FeedStream stream = new FeedStream(BACKLOG_BYTES, this::fail);
    static final int BACKLOG_BYTES = 32 * 1024 * 1024;
    private final ScheduledExecutorService pings = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cutover-feed-ping");
        t.setDaemon(true);
        return t;
    });
    private Socket replica;
    private RespOutput out;
    private long written;
    private volatile long acked = -1;
    private volatile long applied;
    private volatile int appliedDb;
    private volatile String failure;
    private int db = -1;
    private long pendingAdvance = NO_OFFSET;

    private ReplicaFeed(ServerSocket listener) {
        this.listener = listener;
    }

    /** Listens on {@code bind} (an address the old source reaches this shell by), on a free port. */
    public static ReplicaFeed listen(InetAddress bind) {
        try {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(bind, 0));
            return new ReplicaFeed(s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for the old source's replication link: " + e.getMessage(), e);
        }
    }

    public String host() {
        return listener.getInetAddress().getHostAddress();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /**
     * Waits for the old source to connect, answers its handshake with a full sync of an empty
     * RDB, and starts reading its acknowledgements.
     */
    public void accept(Duration timeout) {
        try {
            listener.setSoTimeout((int) timeout.toMillis());
            Socket s = listener.accept();
            s.setTcpNoDelay(true);
            RespInput in = new RespInput(s.getInputStream(), 64 * 1024);
            RespOutput o = new RespOutput(stream, 256 * 1024);
            while (true) {
                List<byte[]> command = in.readCommand();
                if (command == null) {
                    throw new IOException("the old source closed its replication link during the handshake");
                }
                String name = new String(command.get(0), StandardCharsets.US_ASCII).toUpperCase(java.util.Locale.ROOT);
                if (name.equals("PING")) {
                    raw(s, "+PONG\r\n");
                } else if (name.equals("PSYNC") || name.equals("SYNC")) {
                    raw(s, "+FULLRESYNC " + replid + " 0\r\n$" + EMPTY_RDB.length + "\r\n");
                    s.getOutputStream().write(EMPTY_RDB);
                    s.getOutputStream().flush();
                    break;
                } else {
                    raw(s, "+OK\r\n"); // AUTH, REPLCONF listening-port / capa / ip-address
                }
            }
            synchronized (this) {
                replica = s;
                out = o;
                stream.attach(s.getOutputStream());
            }
            startAcks(in);
            pings.scheduleWithFixedDelay(this::ping, 5, 5, TimeUnit.SECONDS);
            listener.setSoTimeout(0);
            Thread again = new Thread(this::acceptReconnects, "cutover-feed-accept");
            again.setDaemon(true);
            again.start();
        } catch (IOException e) {
            throw new UncheckedIOException("the old source did not start replicating from this shell: " + e.getMessage(), e);
        }
    }

    private void startAcks(RespInput in) {
        Thread acks = new Thread(() -> readAcks(in), "cutover-feed-acks");
        acks.setDaemon(true);
        acks.start();
    }

    /**
     * After a broken link the old source comes back with {@code PSYNC <replid> <offset+1>}: where
     * the backlog still holds that offset it continues (as a primary's partial resync does);
     * otherwise the link cannot be mended and says so.
     */
    private void acceptReconnects() {
        while (failure == null) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                return; // shut down
            }
            try {
                s.setTcpNoDelay(true);
                RespInput in = new RespInput(s.getInputStream(), 64 * 1024);
                while (true) {
                    List<byte[]> command = in.readCommand();
                    if (command == null) {
                        throw new IOException("closed during the handshake");
                    }
                    String name = new String(command.get(0), StandardCharsets.US_ASCII).toUpperCase(java.util.Locale.ROOT);
                    if (name.equals("PING")) {
                        raw(s, "+PONG\r\n");
                    } else if (name.equals("PSYNC") && command.size() == 3) {
                        continueOrRefuse(s, in, new String(command.get(1), StandardCharsets.US_ASCII),
                                Long.parseLong(new String(command.get(2), StandardCharsets.US_ASCII)));
                        break;
                    } else if (name.equals("PSYNC") || name.equals("SYNC")) {
                        raw(s, "-ERR cutover feeds this server; a full resync would empty it\r\n");
                        s.close();
                        break;
                    } else {
                        raw(s, "+OK\r\n");
                    }
                }
            } catch (IOException | RuntimeException e) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // a failed reconnect; the old source tries again
                }
            }
        }
    }

    private void continueOrRefuse(Socket s, RespInput in, String askedId, long from) throws IOException {
        synchronized (this) {
            if (out != null) {
                out.flush(); // everything encoded is in the backlog
            }
            long start = from - 1; // the replica asks for the byte after its offset
            if (!askedId.equals(replid) || !stream.holds(start)) {
                raw(s, "-ERR cutover cannot continue from offset " + start + "\r\n");
                s.close();
                fail("the old source reconnected at offset " + start + ", which this shell's backlog no longer holds:"
                        + " the way back needs rebuilding (stop, then replicate again)");
                return;
            }
            raw(s, "+CONTINUE\r\n");
            stream.replay(start, s.getOutputStream());
            stream.attach(s.getOutputStream());
            replica = s;
        }
        startAcks(in);
    }

    private static void raw(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    private void readAcks(RespInput in) {
        try {
            while (failure == null) {
                List<byte[]> command = in.readCommand();
                if (command == null) {
                    stream.detach(); // it reconnects with PSYNC and continues from the backlog
                    return;
                }
                if (command.size() >= 3 && new String(command.get(1), StandardCharsets.US_ASCII).equalsIgnoreCase("ACK")) {
                    long offset = Long.parseLong(new String(command.get(2), StandardCharsets.US_ASCII));
                    synchronized (this) {
                        acked = offset;
                        while (!marks.isEmpty() && marks.peekFirst()[0] <= offset) {
                            long[] mark = marks.pollFirst();
                            applied = mark[1];
                        }
                        if (marks.isEmpty() && pendingAdvance != NO_OFFSET && offset >= written) {
                            applied = pendingAdvance;
                            pendingAdvance = NO_OFFSET;
                        }
                        notifyAll();
                    }
                }
            }
        } catch (RuntimeException e) {
            stream.detach(); // it reconnects with PSYNC and continues from the backlog
        }
    }

    private synchronized void ping() {
        if (out != null && failure == null) {
            write(List.of(TargetWriter.bytes("PING")));
            flush();
        }
    }

    private synchronized void write(List<byte[]> command) {
        if (failure != null) {
            throw new TargetWriter.WriterStopped(failure);
        }
        long size = 1 + digits(command.size()) + 2;
        for (byte[] arg : command) {
            size += 1 + digits(arg.length) + 2 + arg.length + 2;
        }
        try {
            out.write(command);
        } catch (RuntimeException e) {
            fail("the old source's replication link broke: " + e.getMessage());
            throw new TargetWriter.WriterStopped(failure);
        }
        written += size;
    }

    private static int digits(long n) {
        return Long.toString(n).length();
    }

    @Override
    public synchronized void send(List<byte[]> command, long offset) {
        trackDb(command);
        write(command);
        if (offset != NO_OFFSET) {
            marks.addLast(new long[] {written, offset});
            pendingAdvance = NO_OFFSET;
        }
    }

    @Override
    public synchronized void send(List<byte[]> command) {
        trackDb(command);
        write(command);
    }

    private void trackDb(List<byte[]> command) {
        if (command.size() == 2 && new String(command.get(0), StandardCharsets.US_ASCII).equalsIgnoreCase("SELECT")) {
            db = Integer.parseInt(new String(command.get(1), StandardCharsets.US_ASCII));
            appliedDb = db;
        }
    }

    @Override
    public synchronized void select(int target) {
        if (target != db) {
            send(List.of(TargetWriter.bytes("SELECT"), TargetWriter.bytes(Integer.toString(target))));
        }
    }

    @Override
    public synchronized void advance(long offset) {
        if (marks.isEmpty() && acked >= written) {
            applied = offset;
        } else {
            pendingAdvance = offset;
        }
    }

    @Override
    public synchronized void flush() {
        if (out == null || failure != null) {
            return;
        }
        try {
            out.flush();
        } catch (RuntimeException e) {
            fail("the old source's replication link broke: " + e.getMessage());
        }
    }

    @Override
    public boolean drain(Duration timeout) {
        synchronized (this) {
            if (failure != null) {
                return false;
            }
            if (out == null) {
                return true;
            }
            write(List.of(TargetWriter.bytes("REPLCONF"), TargetWriter.bytes("GETACK"), TargetWriter.bytes("*")));
            flush();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (acked < written && failure == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    wait(Math.max(1, Math.min(100, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return failure == null;
        }
    }

    @Override
    public long applied() {
        return applied;
    }

    @Override
    public int appliedDb() {
        return appliedDb;
    }

    @Override
    public synchronized void startStreamAt(long offset) {
        marks.clear();
        pendingAdvance = NO_OFFSET;
        applied = offset;
    }

    @Override
    public String failure() {
        return failure;
    }

    private synchronized void fail(String message) {
        if (failure == null) {
            failure = message;
        }
        notifyAll();
    }

    /** A full sync that starts over writes into the same old source: the feed stays open. */
    @Override
    public void close() {
    }

    /** Ends the link: the old source is told to stop replicating by the caller. */
    public void shutdown() {
        pings.shutdownNow();
        fail("the feed was shut down");
        Socket s;
        synchronized (this) {
            s = replica;
        }
        try {
            listener.close();
            if (s != null) {
                s.close(); // outside the lock: a write blocked on a full buffer holds it
            }
        } catch (IOException ignored) {
            // closing sockets at the end
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
