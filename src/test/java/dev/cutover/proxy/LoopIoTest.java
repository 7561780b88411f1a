package dev.cutover.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both kinds of {@link LoopIo} on real loopback sockets: what goes in comes out whole and in order,
 * however the reads are cut, whether the socket takes everything or nothing, and the end of a
 * stream, a reset and a closed channel read as the channel's own I/O reports them.
 */
class LoopIoTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private final Map<Wire, List<IOException>> sent = new HashMap<>();
    private Selector selector;
    private LoopIo io;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (io != null) {
            io.close();
        }
    }

    private void use(String kind) throws IOException {
        selector = Selector.open();
        open.add(selector);
        if (kind.equals("channel")) {
            io = new LoopIo.ChannelIo("test");
            return;
        }
        io = LoopIo.create();
        Assumptions.assumeTrue(io.describe().equals("io_uring"), "no io_uring here: " + io.describe());
    }

    /** A connected pair: the proxy's side (non-blocking channel with its wire) and a plain peer socket. */
    private record Link(SocketChannel channel, Wire wire, Socket peer) {
    }

    private Link link() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
            Socket peer = server.accept();
            channel.configureBlocking(false);
            open.add(peer);
            open.add(channel);
            Wire[] self = new Wire[1];
            self[0] = io.wire(channel, (w, failure) -> sent.computeIfAbsent(w, k -> new ArrayList<>()).add(failure));
            return new Link(channel, self[0], peer);
        }
    }

    /** Selects until every link is readable, then reads ahead for all of them in one go. */
    private List<SelectionKey> readyAndReadAhead(List<Link> links) throws IOException {
        Map<SelectionKey, Wire> wires = new HashMap<>();
        for (Link l : links) {
            SelectionKey key = l.channel.keyFor(selector);
            wires.put(key == null ? l.channel.register(selector, SelectionKey.OP_READ) : key, l.wire);
        }
        for (SelectionKey k : selector.keys()) {
            k.interestOps(wires.containsKey(k) ? SelectionKey.OP_READ : 0);
        }
        List<SelectionKey> ready = new ArrayList<>();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (ready.size() < links.size() && System.nanoTime() < deadline) {
            ready.clear();
            selector.select(k -> {
                if (wires.containsKey(k)) {
                    ready.add(k); // links of earlier batches may still be readable: not this batch's
                }
            }, 100);
        }
        assertEquals(links.size(), ready.size(), "every peer wrote, so every link is readable");
        io.readAhead(ready, 0, ready.size(), k -> k.isReadable() ? wires.get(k) : null);
        return ready;
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @ValueSource(strings = {"channel", "io_uring"})
    void readsOfManySocketsAtOnceHandEachItsOwnBytesWhateverTheReadersBuffer(String kind) throws IOException {
        use(kind);
        List<Link> links = new ArrayList<>();
        List<byte[]> written = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Link l = link();
            byte[] b = bytes(1000 + 9000 * i, i); // up to 37 KB: more than one read-ahead slot
            l.peer.getOutputStream().write(b);
            links.add(l);
            written.add(b);
        }
        readyAndReadAhead(links);
        for (int i = 0; i < links.size(); i++) {
            InBuffer in = new InBuffer();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (in.unread() < written.get(i).length && System.nanoTime() < deadline) {
                assertTrue(in.read(links.get(i).wire) >= 0);
                assertFalse(links.get(i).wire.readPending(), "InBuffer takes everything read ahead");
            }
            byte[] got = java.util.Arrays.copyOfRange(in.array(), in.start(), in.end());
            assertArrayEquals(written.get(i), got, "link " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"channel", "io_uring"})
    void bytesReadAheadThatNoReadTookSurviveTheNextBatch(String kind) throws IOException {
        use(kind);
        Link a = link();
        Link b = link();
        byte[] first = bytes(3000, 1);
        a.peer.getOutputStream().write(first);
        readyAndReadAhead(List.of(a));
        ByteBuffer small = ByteBuffer.allocate(100);
        assertEquals(100, a.wire.read(small));
        b.peer.getOutputStream().write(bytes(5000, 2)); // the next batch reuses the staging memory
        readyAndReadAhead(List.of(b));
        ByteBuffer rest = ByteBuffer.allocate(10_000);
        while (a.wire.read(rest) > 0 && rest.position() < first.length - 100) {
            // reads the rest: first what was read ahead, then the socket
        }
        byte[] got = new byte[first.length];
        small.flip().get(got, 0, 100);
        rest.flip().get(got, 100, first.length - 100);
        assertArrayEquals(first, got);
    }

    @ParameterizedTest
    @ValueSource(strings = {"channel", "io_uring"})
    void aSocketThatTakesPartOrNothingKeepsTheRestQueuedInOrder(String kind) throws Exception {
        use(kind);
        Link l = link();
        byte[] payload = bytes(48 * 1024 * 1024, 3); // far more than the socket buffers hold
        OutBuffer out = new OutBuffer();
        out.append(payload);
        CompletableFuture<byte[]> received = new CompletableFuture<>();
        out.flushTo(l.wire);
        io.flush();
        assertTrue(out.size() > 0 && out.size() < payload.length, "the socket took some and not all: " + out.size());
        Thread reader = new Thread(() -> {
            try (InputStream in = l.peer.getInputStream()) {
                received.complete(in.readNBytes(payload.length));
            } catch (IOException e) {
                received.completeExceptionally(e);
            }
        });
        reader.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!out.isEmpty() && System.nanoTime() < deadline) {
            out.flushTo(l.wire);
            io.flush();
            Thread.onSpinWait();
        }
        assertTrue(out.isEmpty());
        assertArrayEquals(payload, received.get());
        if (l.wire.batched()) {
            assertTrue(sent.get(l.wire).stream().allMatch(f -> f == null), "no failure reported: " + sent.get(l.wire));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"channel", "io_uring"})
    void batchedSendsToManySocketsEachArriveWhole(String kind) throws Exception {
        use(kind);
        List<Link> links = new ArrayList<>();
        List<OutBuffer> outs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Link l = link();
            OutBuffer out = new OutBuffer();
            out.append(bytes(100 * (i + 1), 10 + i));
            out.flushTo(l.wire);
            links.add(l);
            outs.add(out);
        }
        io.flush();
        for (int i = 0; i < links.size(); i++) {
            assertTrue(outs.get(i).isEmpty());
            byte[] got = links.get(i).peer.getInputStream().readNBytes(100 * (i + 1));
            assertArrayEquals(bytes(100 * (i + 1), 10 + i), got);
            if (links.get(i).wire.batched()) {
                assertEquals(java.util.Collections.singletonList(null), sent.get(links.get(i).wire));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"channel", "io_uring"})
    void theEndOfTheStreamAndAResetReadAsTheChannelReportsThem(String kind) throws Exception {
        use(kind);
        Link ended = link();
        Link reset = link();
        ended.peer.getOutputStream().write('x');
        ended.peer.shutdownOutput();
        reset.peer.setSoLinger(true, 0);
        reset.peer.getOutputStream().write('y');
        reset.peer.close(); // RST
        Thread.sleep(50);
        readyAndReadAhead(List.of(ended, reset));
        ByteBuffer b = ByteBuffer.allocate(10);
        assertEquals(1, ended.wire.read(b));
        assertEquals(-1, ended.wire.read(b.clear()));
        IOException e = assertThrows(IOException.class, () -> {
            ByteBuffer c = ByteBuffer.allocate(10);
            while (reset.wire.read(c.clear()) >= 0) {
                // the byte before the reset may or may not be delivered; the reset must be
            }
        });
        assertNotNull(e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"channel", "io_uring"})
    void aSendToAResetSocketFailsAndOneForAClosedChannelIsDropped(String kind) throws Exception {
        use(kind);
        Link reset = link();
        Link closed = link();
        reset.peer.setSoLinger(true, 0);
        reset.peer.close();
        Thread.sleep(50);
        OutBuffer toReset = new OutBuffer();
        toReset.append(bytes(1000, 5));
        OutBuffer toClosed = new OutBuffer();
        toClosed.append(bytes(1000, 6));
        if (!reset.wire.batched()) {
            assertThrows(IOException.class, () -> toReset.flushTo(reset.wire));
            closed.channel.close();
            assertThrows(IOException.class, () -> toClosed.flushTo(closed.wire));
            return;
        }
        toReset.flushTo(reset.wire);
        toClosed.flushTo(closed.wire);
        closed.channel.close();
        io.flush();
        List<IOException> failures = sent.get(reset.wire);
        assertNotNull(failures);
        assertEquals(1, failures.size());
        assertNotNull(failures.get(0), "a send to a reset connection fails");
        assertNull(sent.get(closed.wire), "nothing is sent on a closed channel, and no one is told");
        assertEquals(1000, toClosed.size());
        closed.peer.setSoTimeout(5000);
        assertEquals(-1, closed.peer.getInputStream().read(), "the peer sees the end, and not one byte before it");
    }

    @ParameterizedTest
    @ValueSource(strings = {"channel", "io_uring"})
    void bytesThatArrivedBeforeAResetAreReadBeforeTheError(String kind) throws Exception {
        use(kind);
        Link l = link();
        byte[] sentBytes = bytes(16 * 1024, 7); // exactly one read-ahead slot: the read goes on to the socket for more
        l.peer.getOutputStream().write(sentBytes);
        l.peer.setSoLinger(true, 0);
        l.peer.close(); // RST after the bytes
        Thread.sleep(100);
        readyAndReadAhead(List.of(l));
        ByteBuffer got = ByteBuffer.allocate(64 * 1024);
        IOException error = null;
        while (error == null) {
            int at = got.position();
            try {
                if (l.wire.read(got) < 0) {
                    break;
                }
            } catch (IOException e) {
                assertEquals(at, got.position(), "a read that fails hands on no bytes (its caller drops them)");
                error = e;
            }
        }
        assertNotNull(error, "the reset is reported");
        byte[] before = java.util.Arrays.copyOf(got.array(), got.position());
        assertArrayEquals(java.util.Arrays.copyOf(sentBytes, before.length), before, "what came before the error is what was sent");
        assertEquals(sentBytes.length, before.length, "Linux hands out what arrived before the reset first");
    }

    @ParameterizedTest
    @ValueSource(strings = {"channel", "io_uring"})
    void bigWritesGoOutAtOnceOnlyWhenNothingIsQueuedBeforeThem(String kind) throws Exception {
        use(kind);
        Link l = link();
        byte[] small = bytes(500, 8);
        byte[] big = bytes(Wire.WRITE_AT_ONCE * 3, 9);
        byte[] bigger = bytes(Wire.WRITE_AT_ONCE * 2, 10);
        OutBuffer out = new OutBuffer();
        out.append(small);
        out.flushTo(l.wire); // batched: queued, not sent yet
        out.write(l.wire, ByteBuffer.wrap(big)); // must go after the small bytes
        io.flush();
        while (!out.isEmpty()) {
            out.flushTo(l.wire);
            io.flush();
        }
        out.write(l.wire, ByteBuffer.wrap(bigger)); // nothing queued: at once
        while (!out.isEmpty()) {
            out.flushTo(l.wire);
            io.flush();
        }
        byte[] got = l.peer.getInputStream().readNBytes(small.length + big.length + bigger.length);
        java.io.ByteArrayOutputStream want = new java.io.ByteArrayOutputStream();
        want.write(small);
        want.write(big);
        want.write(bigger);
        assertArrayEquals(want.toByteArray(), got);
    }
}
