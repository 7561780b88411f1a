package dev.cutover.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cutover.CutoverException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "500ms, 500",
        "0ms, 0",
        "5s, 5000",
        "2m, 120000",
        "1h, 3600000",
        "1.5s, 1500",
        "0.5m, 30000",
        "10, 10000",
        "0.25, 250",
        "'  3s  ', 3000",
        "'5 s', 5000",
        "1.0005s, 1001",
    })
    void parses(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), Durations.parse(text));
    }

    @Test
    void converterDelegatesToParse() throws Exception {
        assertEquals(Duration.ofSeconds(7), new Durations().convert("7s"));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "abc", "5x", "-1s", "s", "1.s", ".5s", "1,5s", "5 ms extra", "1d", "5S"})
    void rejects(String text) {
        assertThrows(CutoverException.Usage.class, () -> Durations.parse(text));
    }

    @Test
    void rejectionMessage() {
        CutoverException.Usage e = assertThrows(CutoverException.Usage.class, () -> Durations.parse("soon"));
        assertEquals("'soon' is not a duration: write e.g. 500ms, 5s, 2m or 1h", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0ms",
        "500, 500ms",
        "999, 999ms",
        "1000, 1s",
        "5000, 5s",
        "1500, 1.5s",
        "1234, 1.2s",
        "59000, 59s",
        "60000, 1m0s",
        "90500, 1m30s",
        "120000, 2m0s",
        "3600000, 60m0s",
    })
    void formats(long millis, String expected) {
        assertEquals(expected, Durations.format(Duration.ofMillis(millis)));
    }
}
