package dev.cutover.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LzfTest {
    @Test
    void literalRunThenBackReference() {
        // As in encodings.rdb: literal "aa", a back reference of 7+124+2 bytes at distance 1, literal "aa".
        byte[] packed = {0x01, 'a', 'a', (byte) 0xe0, 0x7c, 0x00, 0x01, 'a', 'a'};
        byte[] out = Lzf.decompress(packed, 2 + 133 + 2);
        assertArrayEquals(("a".repeat(135) + "aa").getBytes(StandardCharsets.US_ASCII), out);
    }

    @Test
    void refusesWrongLengthAndBadReference() {
        assertNull(Lzf.decompress(new byte[] {0x01, 'a', 'a'}, 3));
        assertNull(Lzf.decompress(new byte[] {0x20, 0x05}, 3));
        assertNull(Lzf.decompress(new byte[] {0x05, 'a'}, 6));
    }

    @Test
    void theMostAStringCanExpandIsReachedAndNoMore() {
        // Each 3-byte back reference of length 264 at distance 1 after one literal byte: the densest LZF there is.
        int refs = 1000;
        byte[] packed = new byte[2 + 3 * refs];
        packed[0] = 0x00;
        packed[1] = 'x';
        for (int i = 0; i < refs; i++) {
            packed[2 + 3 * i] = (byte) 0xe0;
            packed[3 + 3 * i] = (byte) 0xff;
            packed[4 + 3 * i] = 0x00;
        }
        int expanded = 1 + 264 * refs;
        assertArrayEquals("x".repeat(expanded).getBytes(StandardCharsets.US_ASCII), Lzf.decompress(packed, expanded));
        org.junit.jupiter.api.Assertions.assertTrue(Lzf.plausible(packed.length, expanded));
        // Claims beyond what the bytes could ever give are refused before any output exists.
        assertNull(Lzf.decompress(packed, packed.length * Lzf.MAX_RATIO + 2));
        // A plausible claim the data does not reach is refused too, after growing only with what it gave.
        assertNull(Lzf.decompress(packed, expanded + 1));
    }
}
