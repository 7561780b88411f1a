package dev.cutover.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RedactionTest {

    static Stream<Arguments> uriPasswordsAreMasked() {
        return Stream.of(
            Arguments.of("connect source redis://alice:s3cret@h:6379/2", "connect source redis://alice:***@h:6379/2"),
            Arguments.of("connect target valkeys://s3cret@h", "connect target valkeys://***@h"),
            Arguments.of("connect source rediss://:s3cret@[::1]:6380", "connect source rediss://:***@[::1]:6380"),
            Arguments.of("REDIS://u:s3cret@h", "REDIS://u:***@h"),
            Arguments.of("a redis://a:x1@h1 b valkey://b:x2@h2", "a redis://a:***@h1 b valkey://b:***@h2"),
            Arguments.of("connect source \"redis://u:s3cret@h\"", "connect source \"redis://u:***@h\""),
            Arguments.of("connect source redis://h:6379", "connect source redis://h:6379"));
    }

    @ParameterizedTest
    @MethodSource
    void uriPasswordsAreMasked(String input, String expected) {
        assertEquals(expected, Redaction.line(input));
        assertEquals(expected, Redaction.uri(input));
    }

    static Stream<Arguments> passwordOptionsAreMasked() {
        return Stream.of(
            Arguments.of("connect source redis://h --password s3cret", "connect source redis://h --password ***"),
            Arguments.of("connect source redis://h --password=s3cret", "connect source redis://h --password=***"),
            Arguments.of("x --PASSWORD s3cret --db 3", "x --PASSWORD *** --db 3"),
            Arguments.of("x --pass s3cret", "x --pass ***"),
            Arguments.of("x --requirepass 'two words'", "x --requirepass ***"),
            Arguments.of("x --masterauth \"two words\" --y", "x --masterauth *** --y"),
            Arguments.of("x --token abc", "x --token ***"),
            Arguments.of("x --auth=abc", "x --auth=***"));
    }

    @ParameterizedTest
    @MethodSource
    void passwordOptionsAreMasked(String input, String expected) {
        assertEquals(expected, Redaction.line(input));
    }

    static Stream<Arguments> authArgumentsAreMasked() {
        return Stream.of(
            Arguments.of("AUTH s3cret", "AUTH ***"),
            Arguments.of("auth default s3cret", "auth ***"),
            Arguments.of("call AUTH s3cret", "call AUTH ***"),
            Arguments.of("redis.call('AUTH', 's3cret')", "redis.call('AUTH', ***"),
            Arguments.of("send(\"auth\",\"u\",\"s3cret\")", "send(\"auth\",***"));
    }

    @ParameterizedTest
    @MethodSource
    void authArgumentsAreMasked(String input, String expected) {
        assertEquals(expected, Redaction.line(input));
        assertFalse(Redaction.line(input).contains("s3cret"));
    }

    @Test
    void uriAndOptionTogether() {
        assertEquals("connect source redis://u:***@h --password ***",
                Redaction.line("connect source redis://u:pw1@h --password pw2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "connect source redis://u:s3cret@h",
        "connect source redis://s3cret@h",
        "x --password s3cret",
        "AUTH s3cret",
    })
    void carriesSecret(String input) {
        assertTrue(Redaction.carriesSecret(input));
    }

    @ParameterizedTest
    @ValueSource(strings = {"status", "connect source redis://h:6379/1", "connect target valkeys://[::1]:6380",
        "connect source redis://@h", "journal 10", ""})
    void carriesNoSecret(String input) {
        assertFalse(Redaction.carriesSecret(input));
        assertEquals(input, Redaction.line(input));
    }

    @ParameterizedTest
    @ValueSource(strings = {"NOAUTH Authentication required.", "help authentication", "show authors"})
    void wordsStartingWithAuthAreNotSecrets(String input) {
        assertEquals(input, Redaction.line(input));
        assertFalse(Redaction.carriesSecret(input));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "run plan.js --arg source_password=hunter2",
        "run plan.js --arg 'source_password=hunter2' --arg target=redis://h:1",
        "run plan.js --arg=API_TOKEN=hunter2",
        "run plan.js --arg redis_auth=hunter2 --yes"})
    void secretArgsAreMasked(String line) {
        String redacted = Redaction.line(line);
        org.junit.jupiter.api.Assertions.assertFalse(redacted.contains("hunter2"), redacted);
        org.junit.jupiter.api.Assertions.assertTrue(redacted.contains("=***"), redacted);
        org.junit.jupiter.api.Assertions.assertTrue(Redaction.carriesSecret(line));
    }

    @org.junit.jupiter.api.Test
    void ordinaryArgsStay() {
        String line = "run plan.js --arg source=redis://h:1 --arg max=30s";
        org.junit.jupiter.api.Assertions.assertEquals(line, Redaction.line(line));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "source.call('CONFIG', 'SET', 'requirepass', 'hunter2')",
        "source.call('CONFIG','SET','masterauth','hunter2')",
        "js: source.call CONFIG SET requirepass hunter2",
        "source.call('ACL', 'SETUSER', 'app', 'on', '>hunter2', '~*')",
        "js: target.call ACL SETUSER app on >hunter2 +@all",
        "source.call('MIGRATE', 'h', '6379', '', '0', '5000', 'AUTH2', 'user', 'hunter2', 'KEYS', 'k')"})
    void serverSideSecretsAreMasked(String line) {
        String redacted = Redaction.line(line);
        org.junit.jupiter.api.Assertions.assertFalse(redacted.contains("hunter2"), redacted);
        org.junit.jupiter.api.Assertions.assertTrue(Redaction.carriesSecret(line));
    }
}
