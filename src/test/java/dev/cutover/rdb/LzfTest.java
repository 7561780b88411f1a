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
}
