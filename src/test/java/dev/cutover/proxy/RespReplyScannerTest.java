package dev.cutover.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reply boundaries found in RESP2 and RESP3 streams however the reads split them. */
class RespReplyScannerTest {
    private static final String[] REPLIES = {
        "+OK\r\n", "-ERR wrong\r\n", ":42\r\n", "$5\r\nhello\r\n", "$-1\r\n", "*-1\r\n", "*0\r\n",
        "*2\r\n$1\r\na\r\n*2\r\n:1\r\n$0\r\n\r\n",
        "%2\r\n+server\r\n$6\r\nvalkey\r\n+proto\r\n:3\r\n",
        "~2\r\n,3.14\r\n#t\r\n", "_\r\n", "(12345678901234567890\r\n", "!3\r\nbad\r\n", "=8\r\ntxt:abcd\r\n",
        "|1\r\n+ttl\r\n:3\r\n$2\r\nok\r\n",
        ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n",
        ">2\r\n$10\r\ninvalidate\r\n*1\r\n$3\r\nkey\r\n",
        "$10\r\n0123\r\n6789\r\n",
    };

    private static List<Integer> ends(byte[] stream, int chunk, ReplyScanner s) {
        List<Integer> ends = new ArrayList<>();
        for (int from = 0; from < stream.length; from += chunk) {
            int to = Math.min(stream.length, from + chunk);
            int pos = from;
            while (pos < to) {
                pos = s.scan(stream, pos, to);
                if (s.frameDone()) {
                    ends.add(pos);
                }
            }
        }
        return ends;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 100_000})
    void eachFrameKnowsItsTypeWhetherReadWholeOrInPieces(int chunk) {
        StringBuilder all = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (String r : REPLIES) {
            all.append(r);
            expected.append(r.charAt(0) == '|' ? '$' : r.charAt(0)); // an attribute describes the reply after it
        }
        byte[] stream = all.toString().getBytes(StandardCharsets.ISO_8859_1);
        ReplyScanner s = new ReplyScanner();
        StringBuilder types = new StringBuilder();
        for (int from = 0; from < stream.length; from += chunk) {
            int to = Math.min(stream.length, from + chunk);
            for (int pos = from; pos < to; ) {
                pos = s.scan(stream, pos, to);
                if (s.frameDone()) {
                    types.append((char) s.frameType());
                }
            }
        }
        assertEquals(expected.toString(), types.toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64, 100_000})
    void everyReplyEndsWhereItShouldWhateverTheReadSize(int chunk) {
        StringBuilder all = new StringBuilder();
        List<Integer> expected = new ArrayList<>();
        for (String r : REPLIES) {
            all.append(r);
            expected.add(all.length());
        }
        ReplyScanner s = new ReplyScanner();
        assertEquals(expected, ends(all.toString().getBytes(StandardCharsets.ISO_8859_1), chunk, s));
        assertTrue(s.atBoundary());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 1000})
    void pushFramesAndCapturedArraysKeepTheirFirstElements(int chunk) {
        ReplyScanner s = new ReplyScanner();
        byte[] push = ">3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n".getBytes(StandardCharsets.ISO_8859_1);
        ends(push, chunk, s);
        assertEquals(3, s.captured());
        assertTrue(s.headIs(0, "subscribe"));
        assertEquals("news", new String(s.headBytes(1), StandardCharsets.ISO_8859_1));
        assertTrue(s.headIs(2, "1"));

        byte[] array = "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n".getBytes(StandardCharsets.ISO_8859_1);
        ends(array, chunk, s);
        assertEquals(0, s.captured(), "arrays are captured only when asked");
        s.captureArrays = true;
        ends(array, chunk, s);
        assertTrue(s.headIs(0, "unsubscribe"));
        assertTrue(s.headNull(1));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 1000})
    void errorTextIsKeptForTheProxysOwnCommands(int chunk) {
        ReplyScanner s = new ReplyScanner();
        ends("-WRONGPASS invalid username-password pair\r\n".getBytes(StandardCharsets.ISO_8859_1), chunk, s);
        assertEquals('-', s.frameType());
        assertEquals("WRONGPASS invalid username-password pair", s.errorText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"?x\r\n", "$abc\r\n", "+OK\rX"})
    void bytesThatAreNotRespAreAnError(String garbage) {
        ReplyScanner s = new ReplyScanner();
        byte[] b = garbage.getBytes(StandardCharsets.ISO_8859_1);
        assertThrows(RespProtocolException.class, () -> s.scan(b, 0, b.length));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void aHalfReadReplyIsNotABoundary(int chunk) {
        ReplyScanner s = new ReplyScanner();
        byte[] b = "*2\r\n$3\r\nab".getBytes(StandardCharsets.ISO_8859_1);
        ends(b, chunk, s);
        assertFalse(s.atBoundary());
    }
}
