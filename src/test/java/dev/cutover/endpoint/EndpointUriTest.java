package dev.cutover.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.CutoverException;
import dev.cutover.ExitCode;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointUriTest {

    private static void assertUsageWithoutSecret(String input, String secret) {
        CutoverException.Usage e = assertThrows(CutoverException.Usage.class, () -> EndpointUri.parse(input));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertFalse(e.getMessage().contains(secret), () -> "message leaks the password: " + e.getMessage());
    }

    @Test
    void plainRedisUriUsesDefaults() {
        EndpointUri uri = EndpointUri.parse("redis://cache.example.com");
        assertEquals("redis", uri.scheme());
        assertEquals("cache.example.com", uri.host());
        assertEquals(6379, uri.port());
        assertEquals(EndpointUri.DEFAULT_PORT, uri.port());
        assertEquals(Optional.empty(), uri.user());
        assertEquals(Optional.empty(), uri.password());
        assertEquals(0, uri.db());
        assertFalse(uri.tls());
        assertEquals("cache.example.com:6379", uri.address());
        assertEquals("redis://cache.example.com:6379", uri.redacted());
    }

    @ParameterizedTest
    @CsvSource({
        "redis://h,redis,false",
        "rediss://h,rediss,true",
        "valkey://h,valkey,false",
        "valkeys://h,valkeys,true",
        "REDISS://h,rediss,true",
        "Valkey://h,valkey,false",
    })
    void allSchemesAndTls(String text, String scheme, boolean tls) {
        EndpointUri uri = EndpointUri.parse(text);
        assertEquals(scheme, uri.scheme());
        assertEquals(tls, uri.tls());
        assertEquals("h", uri.host());
    }

    @Test
    void userPasswordPortAndDb() {
        EndpointUri uri = EndpointUri.parse("rediss://alice:s3cret@db.internal:6380/3");
        assertEquals("rediss", uri.scheme());
        assertEquals("db.internal", uri.host());
        assertEquals(6380, uri.port());
        assertEquals(Optional.of("alice"), uri.user());
        assertEquals("s3cret", uri.password().orElseThrow().reveal());
        assertEquals(3, uri.db());
        assertTrue(uri.tls());
        assertEquals("rediss://alice:***@db.internal:6380/3", uri.redacted());
        assertEquals("rediss://alice@db.internal:6380/3", uri.withoutPassword());
        assertEquals("rediss://alice:***@db.internal:6380/3", uri.toString());
    }

    @Test
    void passwordOnlyForm() {
        EndpointUri uri = EndpointUri.parse("redis://secret@host");
        assertEquals(Optional.empty(), uri.user());
        assertEquals("secret", uri.password().orElseThrow().reveal());
        assertEquals("host", uri.host());
        assertEquals(6379, uri.port());
        assertEquals("redis://:***@host:6379", uri.redacted());
        assertFalse(uri.withoutPassword().contains("secret"));
        assertFalse(uri.toString().contains("secret"));
    }

    @Test
    void emptyUserWithPassword() {
        EndpointUri uri = EndpointUri.parse("redis://:topsecret@host:7000");
        assertEquals(Optional.empty(), uri.user());
        assertEquals("topsecret", uri.password().orElseThrow().reveal());
        assertEquals(7000, uri.port());
        assertEquals("redis://:***@host:7000", uri.redacted());
    }

    @Test
    void percentEncodedPasswordIsDecoded() {
        EndpointUri uri = EndpointUri.parse("valkey://bob:p%40ss%2Fw%3Ard+x@host");
        assertEquals(Optional.of("bob"), uri.user());
        assertEquals("p@ss/w:rd+x", uri.password().orElseThrow().reveal());
        assertEquals("valkey://bob:***@host:6379", uri.redacted());
        assertFalse(uri.redacted().contains("p%40ss"));
        assertFalse(uri.withoutPassword().contains("p%40ss"));
    }

    @Test
    void percentEncodedUser() {
        EndpointUri uri = EndpointUri.parse("redis://ops%20team:pw@host");
        assertEquals(Optional.of("ops team"), uri.user());
        assertEquals("pw", uri.password().orElseThrow().reveal());
    }

    @Test
    void ipv6WithPort() {
        EndpointUri uri = EndpointUri.parse("redis://[::1]:6380");
        assertEquals("::1", uri.host());
        assertEquals(6380, uri.port());
        assertEquals("[::1]:6380", uri.address());
        assertEquals("redis://[::1]:6380", uri.redacted());
    }

    @Test
    void ipv6WithoutPortWithCredentialsAndDb() {
        EndpointUri uri = EndpointUri.parse("valkeys://u:pw@[fe80::1:2]/5");
        assertEquals("fe80::1:2", uri.host());
        assertEquals(6379, uri.port());
        assertEquals(5, uri.db());
        assertEquals("valkeys://u:***@[fe80::1:2]:6379/5", uri.redacted());
    }

    @Test
    void dbNumber() {
        assertEquals(3, EndpointUri.parse("redis://host/3").db());
        assertEquals(15, EndpointUri.parse("redis://host:6379/15").db());
        assertEquals(0, EndpointUri.parse("redis://host/").db());
        assertEquals("redis://host:6379", EndpointUri.parse("redis://host/0").redacted());
    }

    @Test
    void emptyPortMeansDefault() {
        assertEquals(6379, EndpointUri.parse("redis://host:").port());
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        EndpointUri uri = EndpointUri.parse("  redis://host:1234  ");
        assertEquals("host", uri.host());
        assertEquals(1234, uri.port());
    }

    @Test
    void portBounds() {
        assertEquals(1, EndpointUri.parse("redis://h:1").port());
        assertEquals(65535, EndpointUri.parse("redis://h:65535").port());
    }

    @Test
    void withCredentialsReplacesOnlyWhatIsGiven() {
        EndpointUri uri = EndpointUri.parse("redis://alice:old@host/2");
        EndpointUri pw = uri.withCredentials(Optional.empty(), Optional.of(Secret.of("new")));
        assertEquals(Optional.of("alice"), pw.user());
        assertEquals("new", pw.password().orElseThrow().reveal());
        assertEquals(2, pw.db());
        EndpointUri user = uri.withCredentials(Optional.of("bob"), Optional.empty());
        assertEquals(Optional.of("bob"), user.user());
        assertEquals("old", user.password().orElseThrow().reveal());
    }

    @Test
    void unsupportedScheme() {
        CutoverException.Usage e = assertThrows(CutoverException.Usage.class,
                () -> EndpointUri.parse("http://host:6379"));
        assertEquals("unsupported scheme 'http://' in 'http://host:6379': use redis://, rediss://,"
                + " valkey:// or valkeys://", e.getMessage());
    }

    @Test
    void portOutOfRange() {
        CutoverException.Usage e = assertThrows(CutoverException.Usage.class,
                () -> EndpointUri.parse("redis://u:hunter2@host:70000"));
        assertEquals("port 70000 is out of range: use 1-65535", e.getMessage());
        assertUsageWithoutSecret("redis://u:hunter2@host:0", "hunter2");
        assertUsageWithoutSecret("redis://u:hunter2@host:65536", "hunter2");
        assertUsageWithoutSecret("redis://u:hunter2@host:-1", "hunter2");
        assertUsageWithoutSecret("redis://u:hunter2@host:99999999999", "hunter2");
    }

    @Test
    void nonNumericPort() {
        CutoverException.Usage e = assertThrows(CutoverException.Usage.class,
                () -> EndpointUri.parse("redis://u:hunter2@host:abc"));
        assertEquals("'abc' is not a valid port in 'redis://u:***@host:abc'", e.getMessage());
    }

    @Test
    void nonNumericAndNegativeDb() {
        CutoverException.Usage e = assertThrows(CutoverException.Usage.class,
                () -> EndpointUri.parse("redis://hunter2@host/x"));
        assertEquals("'x' is not a valid database number in 'redis://***@host/x'", e.getMessage());
        CutoverException.Usage neg = assertThrows(CutoverException.Usage.class,
                () -> EndpointUri.parse("redis://u:hunter2@host/-1"));
        assertEquals("database number -1 is negative", neg.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "garbage", "redis://", "redis:/host", "://host",
        "redis://host:6379/0/1", "redis://[zz]:1"})
    void garbageIsUsage(String input) {
        CutoverException.Usage e = assertThrows(CutoverException.Usage.class, () -> EndpointUri.parse(input));
        assertEquals(ExitCode.USAGE, e.exitCode());
    }

    @Test
    void nullIsUsage() {
        assertThrows(CutoverException.Usage.class, () -> EndpointUri.parse(null));
    }

    @Test
    void garbageMessageShape() {
        CutoverException.Usage e = assertThrows(CutoverException.Usage.class, () -> EndpointUri.parse("garbage"));
        assertEquals("'garbage' is not a server URI: write redis://[user:password@]host[:port][/db]"
                + " (also rediss://, valkey://, valkeys://)", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "redis://u:hunter2@host:abc",
        "redis://u:hunter2@host:0",
        "redis://u:hunter2@host/abc",
        "redis://hunter2@host:abc",
        "valkeys://u:hunter2@[::1]:x",
        "redis://u:hunter2@host:6379/-4",
        "redis://u:hunter2@host:6379?x",
    })
    void errorsNeverShowThePassword(String input) {
        assertUsageWithoutSecret(input, "hunter2");
    }

    @Test
    void errorsNeverShowAMalformedPassword() {
        assertUsageWithoutSecret("redis://u:hunter2@", "hunt");
    }

    /** The last '@' ends the user info, so '@' and '/' may stand unescaped in a password. */
    @ParameterizedTest
    @ValueSource(strings = {"hunt@er2", "hunt/er2"})
    void unescapedAtAndSlashBelongToThePassword(String password) {
        EndpointUri uri = EndpointUri.parse("redis://u:" + password + "@host:6380/2");
        assertEquals(password, uri.password().orElseThrow().reveal());
        assertEquals("host", uri.host());
        assertEquals(6380, uri.port());
        assertEquals(2, uri.db());
        assertEquals("redis://u:***@host:6380/2", uri.redacted());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://u:hunter2@host", "tcp://hunter2@host", "u:hunter2@host"})
    void badSchemeNeverShowsThePassword(String input) {
        assertUsageWithoutSecret(input, "hunter2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis://u:100%@host", "redis://u:%zzhunter2@host"})
    void badPercentEscapeIsUsage(String input) {
        assertUsageWithoutSecret(input, "hunter2");
    }

    @Test
    void renderedFormsNeverContainThePassword() {
        String[] inputs = {"redis://alice:hunter2@h", "redis://hunter2@h", "valkeys://:hunter2@[::1]:6380/3",
            "rediss://u:hunter2@h:1/1"};
        for (String input : inputs) {
            EndpointUri uri = EndpointUri.parse(input);
            assertFalse(uri.redacted().contains("hunter2"), input);
            assertFalse(uri.withoutPassword().contains("hunter2"), input);
            assertFalse(uri.toString().contains("hunter2"), input);
            assertEquals("hunter2", uri.password().orElseThrow().reveal());
        }
    }

    @Test
    void constructorValidates() {
        assertThrows(CutoverException.Usage.class,
                () -> new EndpointUri("redis", "h", 0, Optional.empty(), Optional.empty(), 0));
        assertThrows(CutoverException.Usage.class,
                () -> new EndpointUri("redis", "h", 6379, Optional.empty(), Optional.empty(), -1));
    }
}
