package dev.cutover.proxy;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * An event loop's plain sockets through one io_uring (FFM, JDK 22+, Linux 6.1+): the recv of every
 * socket the selector found readable goes in one {@code io_uring_enter}, and so do the sends of
 * every buffer queued while the events were handled. The sockets stay non-blocking and every
 * operation is MSG_DONTWAIT, so each completes within the call (a full socket answers EAGAIN, as
 * write does); the loop waits for all of them, and the results are exactly what recv and send would
 * have returned, in one system call instead of dozens. Bytes go through native staging memory
 * (heap arrays may move). The channel still owns its descriptor: a wire whose channel is closed
 * is never submitted, so a number the kernel has given to another socket is never used.
 */
final class RingIo implements LoopIo {
    private static final long SYS_IO_URING_SETUP = 425;
    private static final long SYS_IO_URING_ENTER = 426;
    private static final int SETUP_SUBMIT_ALL = 1 << 7;
    private static final int SETUP_COOP_TASKRUN = 1 << 8;
    private static final int SETUP_SINGLE_ISSUER = 1 << 12;
    private static final int SETUP_DEFER_TASKRUN = 1 << 13;
    private static final int FEAT_SINGLE_MMAP = 1;
    private static final int ENTER_GETEVENTS = 1;
    private static final long OFF_SQ_RING = 0L;
    private static final long OFF_CQ_RING = 0x8000000L;
    private static final long OFF_SQES = 0x10000000L;
    private static final byte OP_SEND = 26;
    private static final byte OP_RECV = 27;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int EBUSY = 16;
    private static final int PROT_READ_WRITE = 3;
    private static final int MAP_SHARED_POPULATE = 0x1 | 0x8000;

    /** Submission entries: a batch is at most this many operations. */
    private static final int ENTRIES = 128;
    /** Bytes one socket's recv takes in a batch; a reply that fills it is read on at once, into the caller's buffer. */
    private static final int READ_SLOT = 16 * 1024;
    /** Bytes of queued sends staged for one batch; one buffer's send takes at most {@link #SEND_MAX} of it. */
    private static final int SEND_AREA = 1024 * 1024;
    private static final int SEND_MAX = 256 * 1024;

    /** First: without the socket descriptors there is no point in linking anything (nor in the JVM's warning about it). */
    private static final MethodHandle FD_VAL = fdVal();
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final VarHandle INT_RELEASE = JAVA_INT.varHandle();
    private static final MethodHandle SETUP = syscall(JAVA_LONG, ADDRESS);
    private static final MethodHandle ENTER = syscall(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG);
    private static final MethodHandle MMAP = libc("mmap", false,
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = libc("munmap", false, FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE = libc("close", false, FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle STRERROR = libc("strerror", false, FunctionDescriptor.of(ADDRESS, JAVA_INT));
    /** recv straight into a heap array, for a read the batch did not make. */
    private static final MethodHandle RECV = libc("recv", true,
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    /** send straight from a heap array, for a big write with nothing queued before it. */
    private static final MethodHandle SEND = libc("send", true,
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

    private final Arena arena = Arena.ofConfined();
    private final int ringFd;
    private final MemorySegment rings;
    private final long ringsSize;
    private final MemorySegment sqes;
    private final long sqesSize;
    private final MemorySegment cqRing;
    private final int sqTail;
    private final int sqMask;
    private final int sqArray;
    private final int cqHead;
    private final int cqTail;
    private final int cqMask;
    private final int cqes;
    private final MemorySegment callState = arena.allocate(CALL_STATE);
    private final MemorySegment readArea = arena.allocate((long) READ_SLOT * ENTRIES, 64);
    private final MemorySegment sendArea = arena.allocate(SEND_AREA, 64);
    private final int[] results = new int[ENTRIES];
    private final RingWire[] batch = new RingWire[ENTRIES];
    /** The wires the last read-ahead filled: what they have not handed on by the next one is kept in the heap. */
    private final List<RingWire> aheadWires = new ArrayList<>();
    private List<RingWire> queued = new ArrayList<>();
    private List<RingWire> sending = new ArrayList<>();
    private int localTail;
    private boolean closed;

    private RingIo() throws IOException {
        MemorySegment params = arena.allocate(120, 8);
        params.set(JAVA_INT, 8, SETUP_SUBMIT_ALL | SETUP_SINGLE_ISSUER | SETUP_DEFER_TASKRUN);
        int fd = setup(params, callState);
        if (fd == -22) { // EINVAL: a kernel before 6.1 knows no DEFER_TASKRUN
            params.fill((byte) 0);
            params.set(JAVA_INT, 8, SETUP_SUBMIT_ALL | SETUP_COOP_TASKRUN);
            fd = setup(params, callState);
        }
        if (fd < 0) {
            throw new IOException("io_uring is not available here (" + message(-fd) + ")");
        }
        ringFd = fd;
        int sqEntries = params.get(JAVA_INT, 0);
        int cqEntries = params.get(JAVA_INT, 4);
        int features = params.get(JAVA_INT, 20);
        if ((features & FEAT_SINGLE_MMAP) == 0) {
            close(fd);
            throw new IOException("io_uring is not available here (a kernel before Linux 5.4)");
        }
        sqTail = params.get(JAVA_INT, 44);
        int sqMaskAt = params.get(JAVA_INT, 48);
        sqArray = params.get(JAVA_INT, 64);
        cqHead = params.get(JAVA_INT, 80);
        cqTail = params.get(JAVA_INT, 84);
        int cqMaskAt = params.get(JAVA_INT, 88);
        cqes = params.get(JAVA_INT, 100);
        ringsSize = Math.max(sqArray + 4L * sqEntries, cqes + 16L * cqEntries);
        sqesSize = 64L * sqEntries;
        try {
            rings = map(ringsSize, OFF_SQ_RING);
            sqes = map(sqesSize, OFF_SQES);
        } catch (IOException e) {
            close(fd);
            throw e;
        }
        cqRing = rings;
        sqMask = rings.get(JAVA_INT, sqMaskAt);
        cqMask = rings.get(JAVA_INT, cqMaskAt);
        localTail = rings.get(JAVA_INT, sqTail);
        if (sqEntries < ENTRIES) {
            close();
            throw new IOException("io_uring is not available here (" + sqEntries + " entries, fewer than " + ENTRIES + ")");
        }
    }

    /** Called reflectively by {@link LoopIo#create}, on the loop's own thread (the ring's only submitter). */
    static LoopIo open() throws IOException {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            throw new IOException("io_uring is not available here (Linux only)");
        }
        return new RingIo();
    }

    @Override
    public Wire wire(SocketChannel channel, Wire.SendListener owner) {
        try {
            return new RingWire(channel, (int) FD_VAL.invoke(channel), owner);
        } catch (Throwable e) {
            return new ChannelWire(channel);
        }
    }

    @Override
    public String describe() {
        return "io_uring";
    }

    @Override
    public int readAheadBatch() {
        return ENTRIES;
    }

    @Override
    public void readAhead(List<SelectionKey> keys, int from, int to, Function<SelectionKey, Wire> wireOf) {
        keepLeftovers();
        int n = 0;
        for (int i = from; i < to; i++) {
            if (wireOf.apply(keys.get(i)) instanceof RingWire w && w.ring() == this && !w.hasAhead() && w.channel.isOpen()) {
                long at = (long) READ_SLOT * n;
                prep(n, OP_RECV, w.fd, readArea.address() + at, READ_SLOT);
                batch[n++] = w;
            }
        }
        if (n == 0) {
            return;
        }
        submitAndWait(n);
        for (int i = 0; i < n; i++) {
            RingWire w = batch[i];
            batch[i] = null;
            w.ahead(readArea, (long) READ_SLOT * i, results[i]);
            aheadWires.add(w);
        }
    }

    /** Bytes read ahead that no read took (the connection went on differently) move to the heap before the area is reused. */
    private void keepLeftovers() {
        for (RingWire w : aheadWires) {
            w.keepInHeap();
        }
        aheadWires.clear();
    }

    @Override
    public void flush() {
        while (!queued.isEmpty()) {
            List<RingWire> now = queued;
            queued = sending;
            sending = now;
            int n = 0;
            int emptied = 0;
            long staged = 0;
            for (int i = 0; i < now.size(); i++) {
                RingWire w = now.get(i);
                if (!w.channel.isOpen()) {
                    w.queuedOut = false; // closed: its owner is gone or moved on, and nothing may go out on it
                } else if (w.out.isEmpty()) {
                    w.queuedOut = false; // emptied since (a failed upstream drops what was queued): the owner hears
                    now.set(emptied++, w);
                } else {
                    int len = (int) Math.min(Math.min(w.out.size(), SEND_MAX), SEND_AREA - staged);
                    if (len <= 0 || n == ENTRIES) {
                        queued.add(w); // the next round of this flush
                        continue;
                    }
                    MemorySegment.copy(w.out.array(), 0, sendArea, JAVA_BYTE, staged, len);
                    prep(n, OP_SEND, w.fd, sendArea.address() + staged, len);
                    batch[n++] = w;
                    staged += len;
                }
            }
            if (n > 0) {
                submitAndWait(n);
                for (int i = 0; i < n; i++) { // first every buffer, then the owners: they may queue more on any wire
                    RingWire w = batch[i];
                    w.queuedOut = false;
                    if (results[i] > 0) {
                        w.out.sent(results[i]);
                    }
                }
            }
            for (int i = 0; i < emptied; i++) {
                RingWire w = now.get(i);
                w.owner.sent(w, null);
            }
            now.clear();
            for (int i = 0; i < n; i++) {
                RingWire w = batch[i];
                batch[i] = null;
                int res = results[i];
                w.owner.sent(w, res < 0 && res != -EAGAIN ? new IOException(message(-res)) : null);
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closeRing();
            arena.close();
        }
    }

    /**
     * After a failure of the ring itself: closes it, but keeps the staging memory (a few MB, once):
     * operations it may still hold would otherwise write into freed memory.
     */
    private LoopIo.Failure abandon(String message, Throwable cause) {
        if (!closed) {
            closeRing();
        }
        return new LoopIo.Failure(message, cause);
    }

    private void closeRing() {
        closed = true;
        try {
            int ignored = (int) MUNMAP.invokeExact(sqes, sqesSize);
            ignored = (int) MUNMAP.invokeExact(rings, ringsSize);
        } catch (Throwable e) {
            // stopping anyway
        }
        close(ringFd);
    }

    // ---- the ring

    private void prep(int index, byte op, int fd, long address, int len) {
        int slot = localTail & sqMask;
        long at = 64L * slot;
        for (int i = 0; i < 8; i++) {
            sqes.set(JAVA_LONG, at + 8L * i, 0L);
        }
        sqes.set(JAVA_BYTE, at, op);
        sqes.set(JAVA_INT, at + 4, fd);
        sqes.set(JAVA_LONG, at + 16, address);
        sqes.set(JAVA_INT, at + 24, len);
        sqes.set(JAVA_INT, at + 28, MSG_DONTWAIT | MSG_NOSIGNAL);
        sqes.set(JAVA_LONG, at + 32, index);
        rings.set(JAVA_INT, sqArray + 4L * slot, slot);
        localTail++;
    }

    /**
     * Submits the {@code n} prepared operations and waits until all are complete; their results
     * land in {@link #results}. A failure of the ring itself (not of an operation) leaves the
     * state of the sockets unknown: {@link LoopIo.Failure}, and the loop drops its connections.
     */
    private void submitAndWait(int n) {
        INT_RELEASE.setRelease(rings, (long) sqTail, localTail);
        int toSubmit = n;
        int done = 0;
        while (done < n) {
            long r;
            try {
                r = (long) ENTER.invokeExact(callState, SYS_IO_URING_ENTER, (long) ringFd, (long) toSubmit,
                        (long) (n - done), (long) ENTER_GETEVENTS, MemorySegment.NULL, 0L);
            } catch (Throwable e) {
                throw abandon("io_uring_enter failed: " + e, e);
            }
            if (r < 0) {
                int errno = (int) ERRNO.get(callState, 0L);
                if (errno != EINTR && errno != EAGAIN && errno != EBUSY) {
                    throw abandon("io_uring_enter failed: " + message(errno), null);
                }
            } else {
                toSubmit -= (int) Math.min(r, toSubmit);
            }
            done += reap();
        }
    }

    private int reap() {
        int head = cqRing.get(JAVA_INT, cqHead);
        int tail = (int) INT_RELEASE.getAcquire(cqRing, (long) cqTail);
        int count = 0;
        while (head != tail) {
            long at = cqes + 16L * (head & cqMask);
            int index = (int) cqRing.get(JAVA_LONG, at);
            results[index] = cqRing.get(JAVA_INT, at + 8);
            head++;
            count++;
        }
        INT_RELEASE.setRelease(cqRing, (long) cqHead, head);
        return count;
    }

    // ---- one socket

    /** A plain socket of this loop: reads what the batch read ahead for it first; sends wait for {@link #flush}. */
    private final class RingWire implements Wire {
        final SocketChannel channel;
        final int fd;
        final Wire.SendListener owner;
        OutBuffer out;
        boolean queuedOut;
        /** Read ahead and not handed on: {@code ahead[aheadPos..aheadEnd)}, or the recv's error / end (aheadResult <= 0). */
        private MemorySegment ahead;
        private long aheadPos;
        private long aheadEnd;
        private int aheadResult;
        private boolean full;
        /** The socket's error, found after bytes a read returned: the next read reports it. */
        private IOException failed;
        /** A full slot filled the caller's buffer: the socket may have more for a read that follows at once. */
        private boolean readOn;

        RingWire(SocketChannel channel, int fd, Wire.SendListener owner) {
            this.channel = channel;
            this.fd = fd;
            this.owner = owner;
        }

        RingIo ring() {
            return RingIo.this;
        }

        boolean hasAhead() {
            return ahead != null;
        }

        void ahead(MemorySegment area, long at, int result) {
            ahead = area;
            aheadPos = at;
            aheadEnd = at + Math.max(result, 0);
            aheadResult = result;
            full = result == READ_SLOT;
        }

        void keepInHeap() {
            if (ahead == null || !ahead.isNative()) {
                return;
            }
            if (!channel.isOpen()) {
                ahead = null;
                return;
            }
            if (aheadResult <= 0) {
                ahead = MemorySegment.ofArray(new byte[0]); // the end or the error, for the next read
                return;
            }
            byte[] copy = new byte[(int) (aheadEnd - aheadPos)];
            MemorySegment.copy(ahead, JAVA_BYTE, aheadPos, copy, 0, copy.length);
            ahead = MemorySegment.ofArray(copy);
            aheadPos = 0;
            aheadEnd = copy.length;
            full = false;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (failed != null) {
                IOException e = failed;
                failed = null;
                throw e;
            }
            readOn = false;
            if (ahead == null) {
                return recv(dst);
            }
            if (aheadResult <= 0) {
                ahead = null;
                if (aheadResult == 0) {
                    return -1;
                }
                if (aheadResult == -EAGAIN) {
                    return 0;
                }
                throw new IOException(message(-aheadResult));
            }
            int n = (int) Math.min(aheadEnd - aheadPos, dst.remaining());
            MemorySegment.copy(ahead, JAVA_BYTE, aheadPos, dst.array(), dst.arrayOffset() + dst.position(), n);
            dst.position(dst.position() + n);
            aheadPos += n;
            if (aheadPos < aheadEnd) {
                return n;
            }
            ahead = null;
            if (!full) {
                return n;
            }
            if (!dst.hasRemaining()) {
                readOn = true; // a caller that grows its buffer (InBuffer) reads the rest of a big request now
                return n;
            }
            int more; // the slot was full: the socket may have more, and the caller has room
            try {
                more = recv(dst);
            } catch (IOException e) {
                failed = e; // these bytes first; the error at the next read
                return n;
            }
            return more > 0 ? n + more : n;
        }

        @Override
        public boolean readPending() {
            return ahead != null || readOn;
        }

        private int recv(ByteBuffer dst) throws IOException {
            long n = transfer(RECV, dst, MSG_DONTWAIT);
            return n > 0 ? (int) n : n == 0 ? -1 : 0;
        }

        /**
         * One recv or send on {@code buf}'s remaining bytes, straight from the heap array: the bytes
         * it moved (the position moves with them; 0 from recv is the end of the stream), or -1 when
         * nothing could move now (EAGAIN, or nothing to move).
         */
        private long transfer(MethodHandle op, ByteBuffer buf, int flags) throws IOException {
            int len = buf.remaining();
            if (len == 0) {
                return -1;
            }
            int pos = buf.position();
            MemorySegment bytes = MemorySegment.ofArray(buf.array()).asSlice(buf.arrayOffset() + pos, len);
            while (true) {
                if (!channel.isOpen()) {
                    throw new ClosedChannelException();
                }
                long n;
                try {
                    n = (long) op.invokeExact(callState, fd, bytes, (long) len, flags);
                } catch (Throwable e) {
                    throw new IOException(e);
                }
                if (n >= 0) {
                    buf.position(pos + (int) n);
                    return n;
                }
                int errno = (int) ERRNO.get(callState, 0L);
                if (errno == EAGAIN) {
                    return -1;
                }
                if (errno != EINTR) {
                    throw new IOException(message(errno));
                }
            }
        }

        @Override
        public boolean batched() {
            return true;
        }

        @Override
        public boolean sendQueued() {
            return queuedOut;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (queuedOut && !out.isEmpty()) {
                throw new IllegalStateException("a write at once would overtake the bytes queued before it");
            }
            return (int) Math.max(0, transfer(SEND, src, MSG_DONTWAIT | MSG_NOSIGNAL));
        }

        @Override
        public void sendLater(OutBuffer buffer) {
            out = buffer;
            if (!queuedOut) {
                queuedOut = true;
                queued.add(this);
            }
        }
    }

    // ---- native calls

    private static int setup(MemorySegment params, MemorySegment callState) {
        try {
            long r = (long) SETUP.invokeExact(callState, SYS_IO_URING_SETUP, (long) ENTRIES, params);
            return r >= 0 ? (int) r : -(int) ERRNO.get(callState, 0L);
        } catch (Throwable e) {
            return -38; // ENOSYS
        }
    }

    private MemorySegment map(long size, long offset) throws IOException {
        MemorySegment at;
        try {
            at = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, size, PROT_READ_WRITE, MAP_SHARED_POPULATE, ringFd,
                    offset);
        } catch (Throwable e) {
            throw new IOException("io_uring: mmap failed", e);
        }
        if (at.address() == -1L) {
            throw new IOException("io_uring: mmap failed");
        }
        return at.reinterpret(size);
    }

    private static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            // nothing more to do
        }
    }

    static String message(int errno) {
        try {
            return ((MemorySegment) STRERROR.invokeExact(errno)).reinterpret(256).getString(0);
        } catch (Throwable e) {
            return "errno " + errno;
        }
    }

    private static MethodHandle syscall(MemoryLayout... args) {
        MemoryLayout[] all = new MemoryLayout[args.length + 1];
        all[0] = JAVA_LONG;
        System.arraycopy(args, 0, all, 1, args.length);
        return LINKER.downcallHandle(LINKER.defaultLookup().find("syscall").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, all), Linker.Option.firstVariadicArg(1),
                Linker.Option.captureCallState("errno"));
    }

    private static MethodHandle libc(String name, boolean criticalWithErrno, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(name).orElseThrow();
        return criticalWithErrno
                ? LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"),
                        Linker.Option.critical(true))
                : LINKER.downcallHandle(symbol, descriptor);
    }

    private static MethodHandle fdVal() {
        try {
            return MethodHandles.lookup().unreflect(Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal"));
        } catch (ReflectiveOperationException | IllegalAccessError e) {
            throw new UnsupportedOperationException("the JVM does not let the proxy see its sockets"
                    + " (it needs --add-exports java.base/sun.nio.ch=ALL-UNNAMED)", e);
        }
    }
}
