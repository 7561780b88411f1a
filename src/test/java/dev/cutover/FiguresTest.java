package dev.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FiguresTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|0",
        "999|999",
        "1204|1,204",
        "1000000|1,000,000",
        "-1234567|-1,234,567",
    })
    void count(long n, String expected) {
        assertEquals(expected, Figures.count(n));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0|0 B",
        "1023|1023 B",
        "1024|1.0 KB",
        "1536|1.5 KB",
        "1048576|1.0 MB",
        "1258291|1.2 MB",
        "1073741824|1.0 GB",
        "1099511627776|1.0 TB",
        "1125899906842624|1024.0 TB",
    })
    void bytes(long n, String expected) {
        assertEquals(expected, Figures.bytes(n));
    }
}
