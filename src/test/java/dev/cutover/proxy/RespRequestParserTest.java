package dev.cutover.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Requests framed whole from any split of the byte stream, multi-bulk and inline. */
class RespRequestParserTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Frames every complete request of {@code s}; returns "name:argc" for each. */
    private static List<String> frame(String s) {
        byte[] b = bytes(s);
        RequestParser p = new RequestParser();
        List<String> out = new ArrayList<>();
        int pos = 0;
        while (pos < b.length) {
            int end = p.parse(b, pos, b.length);
            if (end == RequestParser.INCOMPLETE) {
                break;
            }
            if (p.argc > 0) {
                out.add(new String(p.nameBytes(b), p.nameOff, p.nameLen, StandardCharsets.ISO_8859_1) + ":" + p.argc);
            }
            pos = end;
        }
        return out;
    }

    @Test
    void multiBulkAndInlineRequestsFrameWhole() {
        String stream = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n*1\r\n$4\r\nPING\r\nget  k\r\n\r\n*0\r\nECHO x\n";
        assertEquals(List.of("SET:3", "PING:1", "get:2", "ECHO:2"), frame(stream));
    }

    @Test
    void everyPrefixOfARequestIsIncompleteAndSaysHowMuchIsNeeded() {
        byte[] b = bytes("*2\r\n$3\r\nGET\r\n$10\r\n0123456789\r\n");
        RequestParser p = new RequestParser();
        for (int len = 0; len < b.length; len++) {
            assertEquals(RequestParser.INCOMPLETE, p.parse(b, 0, len), "prefix of " + len + " bytes");
        }
        assertEquals(b.length, p.parse(b, 0, b.length));
        assertEquals(2, p.argc);
    }

    @Test
    void aDeclaredLengthIsOnlyTrustedOnceItsBytesArrived() {
        // 18 bytes declaring half a gigabyte: incomplete, and nothing about it may size a buffer
        byte[] b = bytes("*1\r\n$536870912\r\n");
        RequestParser p = new RequestParser();
        assertEquals(RequestParser.INCOMPLETE, p.parse(b, 0, b.length));
        InBuffer in = new InBuffer();
        assertEquals(0, in.capacity(), "a buffer holds nothing before bytes arrive");
    }

    @Test
    void argumentsAreCopiedOutOnlyWhenAsked() {
        byte[] b = bytes("*3\r\n$5\r\nHELLO\r\n$1\r\n3\r\n$0\r\n\r\n");
        RequestParser p = new RequestParser();
        p.parse(b, 0, b.length);
        List<byte[]> args = p.args(b);
        assertEquals(3, args.size());
        assertArrayEquals(bytes("3"), args.get(1));
        assertArrayEquals(new byte[0], args.get(2));
        byte[] inline = bytes("select   2\r\n");
        p.parse(inline, 0, inline.length);
        assertArrayEquals(bytes("2"), p.args(inline).get(1));
    }

    @Test
    void aLengthIsDigitsEndedByCrLf() {
        RequestParser p = new RequestParser();
        for (String bad : List.of("*1\r\n$3x\r\nGET\r\n", "*1\r\n$\r\nGET\r\n", "*x\r\n",
                "*" + "1".repeat(40) + "\r\n", "*" + "9".repeat(20) + "\r\n", "*1\r\n$" + "9".repeat(20) + "\r\n")) {
            byte[] b = bytes(bad);
            assertThrows(RespProtocolException.class, () -> p.parse(b, 0, b.length), bad);
        }
        // Redis takes any byte after a length's '\r' (it skips two); Valkey 9 wants '\n' there, and after payloads.
        byte[] anyAfterCr = bytes("*1\r\n$3\rxGET\r\n");
        assertEquals(anyAfterCr.length, p.parse(anyAfterCr, 0, anyAfterCr.length));
        RequestParser valkey9 = new RequestParser();
        valkey9.dialect = new Dialect(true, true);
        assertThrows(RespProtocolException.class, () -> valkey9.parse(anyAfterCr, 0, anyAfterCr.length));
        byte[] noCrlfAfterPayload = bytes("*1\r\n$3\r\nGETxx");
        assertEquals(noCrlfAfterPayload.length, p.parse(noCrlfAfterPayload, 0, noCrlfAfterPayload.length));
        assertThrows(RespProtocolException.class, () -> valkey9.parse(noCrlfAfterPayload, 0, noCrlfAfterPayload.length));
        // A NUL in a length line hides its end from Redis's strchr: the request waits, then is too big.
        byte[] nul = bytes("*1\r\n$3\u0000\r\nGET\r\n");
        assertEquals(RequestParser.INCOMPLETE, p.parse(nul, 0, nul.length));
        assertThrows(RespProtocolException.class, () -> valkey9.parse(nul, 0, nul.length));
        byte[] endsOnCr = bytes("*1\r\n$3\r");
        assertEquals(RequestParser.INCOMPLETE, p.parse(endsOnCr, 0, endsOnCr.length));
        byte[] negativeCount = bytes("*-1\r\n");
        assertEquals(negativeCount.length, p.parse(negativeCount, 0, negativeCount.length));
        assertEquals(0, p.argc);
    }

    @Test
    void garbageIsAProtocolError() {
        RequestParser p = new RequestParser();
        byte[] b = bytes("*2\r\n+OK\r\n");
        assertThrows(RespProtocolException.class, () -> p.parse(b, 0, b.length));
        byte[] huge = bytes("*99999999999\r\n");
        assertThrows(RespProtocolException.class, () -> p.parse(huge, 0, huge.length));
        byte[] negative = bytes("*1\r\n$-5\r\n");
        assertThrows(RespProtocolException.class, () -> p.parse(negative, 0, negative.length));
    }

    @Test
    void anIncompleteRequestResumesWhereItStoppedEvenWhenTheBufferMoves() {
        String whole = "*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n$2\r\nEX\r\n*1\r\n$4\r\nPING\r\n";
        byte[] all = bytes(whole);
        RequestParser reference = new RequestParser();
        int firstEnd = reference.parse(all, 0, all.length);
        RequestParser p = new RequestParser();
        p.progress = new RequestParser.Progress();
        // Byte by byte, the request moving one place to the right in the buffer at every arrival.
        for (int have = 1; have <= all.length; have++) {
            int shift = have; // a compaction or a regrowth puts the request somewhere else
            byte[] buf = new byte[shift + have];
            System.arraycopy(all, 0, buf, shift, have);
            int end = p.parse(buf, shift, buf.length);
            if (have < firstEnd) {
                assertEquals(RequestParser.INCOMPLETE, end, "after " + have + " bytes");
            } else {
                assertEquals(shift + firstEnd, end, "after " + have + " bytes");
                assertEquals(4, p.argc);
                assertEquals("SET", new String(p.nameBytes(buf), p.nameOff, p.nameLen, StandardCharsets.ISO_8859_1));
                assertEquals(List.of("SET", "k", "hello", "EX"), p.args(buf).stream()
                        .map(a -> new String(a, StandardCharsets.ISO_8859_1)).toList());
                break;
            }
        }
        // The next request starts afresh: nothing of the last one's place is kept.
        byte[] next = bytes("*1\r\n$4\r\nPING\r\n");
        assertEquals(next.length, p.parse(next, 0, next.length));
        assertEquals(1, p.argc);
    }
}
