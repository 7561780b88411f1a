package dev.cutover.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespInputTest {
    private static RespInput input(String text, int buffer) {
        return new RespInput(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), buffer);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void countsEveryByteOfEachCommandEvenAcrossSmallBuffers() {
        String set = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n";
        String ping = "*1\r\n$4\r\nPING\r\n";
        RespInput in = input(set + ping, 7);
        List<byte[]> first = in.readCommand();
        assertEquals(List.of("SET", "k", "value"), first.stream().map(RespInputTest::s).toList());
        assertEquals(set.length(), in.position());
        assertEquals("PING", s(in.readCommand().get(0)));
        assertEquals(set.length() + ping.length(), in.position());
        assertNull(in.readCommand(), "a clean end between commands");
        assertTrue(in.ended());
    }

    @Test
    void readsInlineCommandsAndBinaryArguments() {
        RespInput in = input("PING\r\n*2\r\n$3\r\nGET\r\n$3\r\na\r\n\r\n", 64);
        assertEquals("PING", s(in.readCommand().get(0)));
        assertArrayEquals("a\r\n".getBytes(StandardCharsets.UTF_8), in.readCommand().get(1));
    }

    @Test
    void readsEveryReplyType() {
        RespInput in = input("+OK\r\n-ERR wrong\r\n:42\r\n$-1\r\n*2\r\n$1\r\nx\r\n:1\r\n_\r\n%1\r\n+a\r\n+b\r\n,1.5\r\n", 5);
        assertEquals("OK", in.readReply());
        RespError error = assertInstanceOf(RespError.class, in.readReply());
        assertEquals("ERR", error.code());
        assertEquals(42L, in.readReply());
        assertNull(in.readReply());
        List<?> array = (List<?>) in.readReply();
        assertEquals("x", s((byte[]) array.get(0)));
        assertEquals(1L, array.get(1));
        assertNull(in.readReply());
        assertEquals(List.of("a", "b"), in.readReply());
        assertEquals("1.5", in.readReply());
    }

    @Test
    void boundedViewStopsAtItsLengthAndTheRestFollows() throws Exception {
        RespInput in = input("$5\r\nREDIS*1\r\n$4\r\nPING\r\n", 3);
        assertEquals('$', in.read());
        assertEquals("5", in.readLine());
        InputStream rdb = in.bounded(5);
        assertEquals("REDIS", new String(rdb.readAllBytes(), StandardCharsets.US_ASCII));
        assertEquals(-1, rdb.read());
        assertEquals("PING", s(in.readCommand().get(0)));
    }

    @Test
    void aFrameCutShortOrMalformedIsAnErrorNotAHang() {
        assertThrows(UncheckedIOException.class, () -> input("*2\r\n$3\r\nSET\r\n$5\r\nab", 64).readCommand());
        assertThrows(RespProtocolException.class, () -> input("*x\r\n", 64).readCommand());
        assertThrows(RespProtocolException.class, () -> input("*1\r\n:5\r\n", 64).readCommand());
        assertThrows(RespProtocolException.class, () -> input("*1\r\n$99999999999\r\n", 64).readCommand());
        assertThrows(RespProtocolException.class, () -> input("!oops\r\n", 64).readReply());
    }

    @Test
    void outputEncodesWhatInputReads() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RespOutput out = new RespOutput(bytes, 16);
        byte[] big = "y".repeat(100).getBytes(StandardCharsets.UTF_8);
        out.write(List.of("RPUSH".getBytes(StandardCharsets.UTF_8), "k".getBytes(StandardCharsets.UTF_8), big, new byte[0]));
        out.write("PING");
        out.flush();
        RespInput in = new RespInput(new ByteArrayInputStream(bytes.toByteArray()), 8);
        List<byte[]> command = in.readCommand();
        assertEquals(4, command.size());
        assertArrayEquals(big, command.get(2));
        assertEquals(0, command.get(3).length);
        assertEquals("PING", s(in.readCommand().get(0)));
        assertEquals(bytes.size(), in.position());
    }
}
