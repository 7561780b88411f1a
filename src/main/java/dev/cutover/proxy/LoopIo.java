package dev.cutover.proxy;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * How one event loop's plain sockets read and write. Each read and write is a system call, and on
 * a busy proxy those calls are most of its CPU: with io_uring ({@code RingIo}, JDK 22+ on Linux)
 * the loop reads every ready socket in one call and sends every queued buffer in another. Where
 * that is not available, each wire uses its channel ({@link ChannelIo}). Created on, and used only
 * by, the loop's own thread.
 */
interface LoopIo {
    /** {@code CUTOVER_PROXY_IO=channel} (or {@code -Dcutover.proxy.io=channel}) keeps the channel's own I/O. */
    String ENV = "CUTOVER_PROXY_IO";
    String PROPERTY = "cutover.proxy.io";

    Wire wire(SocketChannel channel, Wire.SendListener owner);

    /** How many ready keys one {@link #readAhead} takes at most. */
    default int readAheadBatch() {
        return Integer.MAX_VALUE;
    }

    /**
     * Reads, in one go, what the wires of {@code keys[from..to)} are about to read ({@code wireOf}
     * names the wire a key's event reads, or null); each wire hands its bytes to its next
     * {@link Wire#read}.
     */
    default void readAhead(List<SelectionKey> keys, int from, int to, Function<SelectionKey, Wire> wireOf) {
    }

    /** Sends what batched wires queued, in one go, and tells their owners. */
    default void flush() {
    }

    /** "io_uring", or "channel" and why. */
    String describe();

    default void close() {
    }

    /** The best this JVM and kernel allow, unless told to use the channels. */
    static LoopIo create() {
        String asked = System.getProperty(PROPERTY, System.getenv().getOrDefault(ENV, "auto")).toLowerCase(Locale.ROOT);
        if (asked.equals("channel")) {
            return new ChannelIo("asked for");
        }
        if (Runtime.version().feature() < 22) {
            return new ChannelIo("io_uring needs JDK 22 or later; this is " + Runtime.version().feature());
        }
        try {
            return (LoopIo) Class.forName("dev.cutover.proxy.RingIo").getDeclaredMethod("open").invoke(null);
        } catch (ClassNotFoundException e) {
            return new ChannelIo("built without io_uring support (on JDK 21)");
        } catch (ReflectiveOperationException | LinkageError e) {
            return new ChannelIo(why(e));
        }
    }

    /**
     * The first cause's message: the ring's own, through reflection and class initialisation; for a
     * loop after the first, the JVM keeps that failure as "Exception X: message [in thread …]".
     */
    private static String why(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && (t instanceof java.lang.reflect.InvocationTargetException
                || t instanceof ExceptionInInitializerError || t instanceof NoClassDefFoundError)) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replaceFirst("^Exception \\S+: ", "").replaceFirst(" \\[in thread .*]$", "");
    }

    /** The loop's I/O failed as a whole (not one socket's): what its sockets sent and received is not known. */
    final class Failure extends RuntimeException {
        public Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Every wire through its channel: a system call per read and per write. */
    record ChannelIo(String why) implements LoopIo {
        @Override
        public Wire wire(SocketChannel channel, Wire.SendListener owner) {
            return new ChannelWire(channel);
        }

        @Override
        public String describe() {
            return "channel (" + why + ")";
        }
    }
}
