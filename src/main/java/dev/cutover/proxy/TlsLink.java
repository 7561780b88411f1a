package dev.cutover.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * TLS on one non-blocking upstream connection (the client side stays plain): drives the handshake
 * as the socket allows, encrypts what the connection queues for the upstream, decrypts what it
 * reads. Records that the socket did not take yet wait in {@code netOut}; bytes read that do not
 * make a whole record yet wait in {@code netIn}. Confined to the connection's event loop.
 */
final class TlsLink {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final int NET_OUT = 64 * 1024;
    private final SSLEngine engine;
    /** Write mode: bytes read from the socket that are not decrypted yet. */
    private ByteBuffer netIn;
    /** Read mode: records not written to the socket yet. */
    private ByteBuffer netOut;
    private boolean started;

    TlsLink(Upstream to) {
        engine = to.tls().createSSLEngine(to.uri().host(), to.uri().port());
        engine.setUseClientMode(true);
        if (!to.trust().insecure()) {
            SSLParameters params = engine.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(params);
        }
        int packet = engine.getSession().getPacketBufferSize();
        netIn = ByteBuffer.allocate(Math.max(packet, NET_OUT));
        netOut = ByteBuffer.allocate(Math.max(packet, NET_OUT)).flip();
    }

    /** Takes the handshake as far as the socket allows; true once it is done. {@code app}: scratch space. */
    boolean handshake(SocketChannel channel, ByteBuffer app) throws IOException {
        if (!started) {
            engine.beginHandshake();
            started = true;
        }
        while (true) {
            if (!flush(channel)) {
                return false;
            }
            switch (engine.getHandshakeStatus()) {
                case NOT_HANDSHAKING, FINISHED -> {
                    return true;
                }
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> {
                    if (wrap(EMPTY) == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("the TLS handshake ended without an error from the engine");
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    app.clear();
                    if (unwrapOnce(app).getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        int n = readSocket(channel);
                        if (n < 0) {
                            throw new SSLException("the server closed the connection during the TLS handshake");
                        }
                        if (n == 0) {
                            return false;
                        }
                    }
                }
            }
        }
    }

    /** True while encrypted bytes wait for the socket (the connection wants OP_WRITE). */
    boolean pendingOutput() {
        return netOut.hasRemaining();
    }

    /** Encrypts what {@code plain} holds and writes what the socket takes; the rest waits (see {@link #pendingOutput}). */
    void write(OutBuffer plain, SocketChannel channel) throws IOException {
        if (!flush(channel)) {
            return;
        }
        if (needsWrap()) {
            wrap(EMPTY);
            if (!flush(channel)) {
                return;
            }
        }
        ByteBuffer src = plain.readable();
        try {
            while (src.hasRemaining()) {
                wrap(src);
                if (!flush(channel)) {
                    break;
                }
            }
        } finally {
            plain.readDone();
        }
    }

    /** Reads what the socket has into {@code netIn}; -1 at the end of the stream. */
    int readSocket(SocketChannel channel) throws IOException {
        if (!netIn.hasRemaining()) {
            netIn = grow(netIn, netIn.capacity() * 2);
        }
        return channel.read(netIn);
    }

    /**
     * Decrypts the whole records read so far into {@code app} (from its position), as far as it has
     * room; returns the bytes it holds then, 0 when a record needs more bytes from the socket, and
     * -1 when the server ended TLS (close_notify) with nothing left to give.
     */
    int unwrap(ByteBuffer app) throws IOException {
        int room = engine.getSession().getApplicationBufferSize();
        while (netIn.position() > 0 && app.remaining() >= room) {
            SSLEngineResult r = unwrapOnce(app);
            switch (r.getStatus()) {
                case OK -> {
                    if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                        return app.position();
                    }
                    afterOp(r);
                }
                case CLOSED -> {
                    return app.position() > 0 ? app.position() : -1;
                }
                case BUFFER_UNDERFLOW, BUFFER_OVERFLOW -> {
                    return app.position();
                }
            }
        }
        return app.position();
    }

    /** Sends close_notify if the socket takes it now; the connection is closed right after either way. */
    void closeQuietly(SocketChannel channel) {
        try {
            engine.closeOutbound();
            if (started) {
                wrap(EMPTY);
                flush(channel);
            }
        } catch (IOException | RuntimeException ignored) {
            // the connection goes anyway
        }
    }

    private SSLEngineResult unwrapOnce(ByteBuffer app) throws IOException {
        netIn.flip();
        SSLEngineResult r;
        try {
            r = engine.unwrap(netIn, app);
        } finally {
            netIn.compact();
        }
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
            int packet = engine.getSession().getPacketBufferSize();
            if (netIn.capacity() < packet) {
                netIn = grow(netIn, packet);
            }
        } else if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW && app.position() == 0) {
            throw new SSLException("a TLS record larger than the read buffer (" + app.capacity() + " bytes)");
        }
        return r;
    }

    /** Encrypts from {@code src} into {@code netOut} while both have some left; netOut stays in read mode. */
    private SSLEngineResult.Status wrap(ByteBuffer src) throws IOException {
        int packet = engine.getSession().getPacketBufferSize();
        netOut.compact();
        try {
            while (true) {
                if (netOut.remaining() < packet) {
                    if (netOut.position() > 0) {
                        return SSLEngineResult.Status.OK;
                    }
                    netOut = grow(netOut, packet);
                }
                SSLEngineResult r = engine.wrap(src, netOut);
                switch (r.getStatus()) {
                    case OK -> {
                        afterOp(r);
                        if (!src.hasRemaining() || r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                            return r.getStatus();
                        }
                    }
                    case BUFFER_OVERFLOW -> {
                        if (netOut.position() > 0) {
                            return r.getStatus();
                        }
                        netOut = grow(netOut, Math.max(packet, netOut.capacity() * 2));
                    }
                    case CLOSED -> {
                        if (src != EMPTY) {
                            throw new SSLException("the TLS connection to the upstream is closed");
                        }
                        return r.getStatus();
                    }
                    case BUFFER_UNDERFLOW -> {
                        return r.getStatus();
                    }
                }
            }
        } finally {
            netOut.flip();
        }
    }

    /** Work the engine asks for after a data wrap or unwrap (a key update, a post-handshake message). */
    private void afterOp(SSLEngineResult r) {
        if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            runTasks();
        }
    }

    /** After an unwrap, the engine has something to send itself (a key update answer): {@link #write} sends it. */
    boolean needsWrap() {
        return engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP;
    }

    private boolean flush(SocketChannel channel) throws IOException {
        while (netOut.hasRemaining()) {
            if (channel.write(netOut) == 0) {
                return false;
            }
        }
        return true;
    }

    private void runTasks() {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }

    /** A bigger buffer in the same mode (write mode: what was written so far is kept). */
    private static ByteBuffer grow(ByteBuffer b, int capacity) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(capacity, b.capacity()));
        b.flip();
        bigger.put(b);
        return bigger;
    }
}
