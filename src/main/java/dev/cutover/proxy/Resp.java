package dev.cutover.proxy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** RESP bytes the proxy writes itself: commands it sends upstream and replies it makes up. */
final class Resp {
    static final byte[] NIL_ARRAY_2 = ascii("*-1\r\n");
    static final byte[] NULL_3 = ascii("_\r\n");
    static final byte[] OK = ascii("+OK\r\n");
    /** RESP3 push: the whole client-side cache is invalid (what a server sends on FLUSHALL). */
    static final byte[] INVALIDATE_ALL_3 = ascii(">2\r\n$10\r\ninvalidate\r\n_\r\n");
    /** The same on a RESP2 redirect connection subscribed to __redis__:invalidate. */
    static final byte[] INVALIDATE_ALL_2 = ascii("*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n$-1\r\n");
    static final String INVALIDATE_CHANNEL = "__redis__:invalidate";

    private Resp() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** An error reply; characters up to U+00FF are the bytes they stand for (a client's byte echoed, as the server does). */
    static byte[] error(String message) {
        return ("-" + message.replace('\r', ' ').replace('\n', ' ') + "\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    static byte[] command(List<byte[]> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32);
        writeCommand(out, args);
        return out.toByteArray();
    }

    static void writeCommand(ByteArrayOutputStream out, List<byte[]> args) {
        out.writeBytes(ascii("*" + args.size() + "\r\n"));
        for (byte[] a : args) {
            out.writeBytes(ascii("$" + a.length + "\r\n"));
            out.writeBytes(a);
            out.writeBytes(ascii("\r\n"));
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Arguments as Latin-1 strings: a lossless round trip for any bytes, cheap to compare and hash. */
    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
