package dev.cutover.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.ConnectOptions;
import dev.cutover.endpoint.EndpointUri;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Trust for TLS upstreams, and which argument a tracking redirect's id is. */
class ProxyTlsTrustTest {
    @Test
    void aCaThatIsNoCertificateIsAUsageErrorAtOnce() {
        CutoverException garbage = assertThrows(CutoverException.Usage.class, () -> UpstreamTrust.caPem("not a pem"));
        assertTrue(garbage.getMessage().contains("upstream CA"), garbage.getMessage());
        CutoverException missing = assertThrows(CutoverException.Usage.class,
                () -> UpstreamTrust.caFile(Path.of("/nonexistent/ca.pem")));
        assertTrue(missing.getMessage().contains("/nonexistent/ca.pem"), missing.getMessage());
    }

    @Test
    void anEndpointsConnectOptionsGiveTheSameTrust(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        ConnectOptions none = ConnectOptions.defaults();
        assertEquals(UpstreamTrust.defaults(), UpstreamTrust.of(none));
        ConnectOptions insecure = new ConnectOptions(Optional.empty(), Optional.empty(), Optional.empty(), true,
                ConnectOptions.DEFAULT_TIMEOUT);
        assertTrue(UpstreamTrust.of(insecure).insecure());
        ConnectOptions missing = new ConnectOptions(Optional.empty(), Optional.empty(),
                Optional.of(dir.resolve("none.pem")), false, ConnectOptions.DEFAULT_TIMEOUT);
        assertThrows(CutoverException.Usage.class, () -> UpstreamTrust.of(missing));
    }

    @Test
    void onlyTlsUpstreamsGetAContextAndThePemStaysOutOfMessages() {
        assertEquals(null, Upstream.of(EndpointUri.parse("redis://127.0.0.1:6379")).tls());
        assertTrue(Upstream.of(EndpointUri.parse("rediss://127.0.0.1:6379")).tls() != null);
        assertTrue(Upstream.of(EndpointUri.parse("valkeys://127.0.0.1:6379"), UpstreamTrust.insecureTrust()).tls() != null);
        assertEquals("the JDK's CAs", UpstreamTrust.defaults().toString());
    }

    @Test
    void theRedirectIdIsFoundPastAPrefixNamedRedirect() {
        assertEquals(1, Redirects.idIndex(args("REDIRECT", "7")));
        assertEquals(4, Redirects.idIndex(args("PREFIX", "redirect", "BCAST", "redirect", "9")));
        assertEquals(-1, Redirects.idIndex(args("BCAST", "PREFIX", "redirect")));
        assertEquals(-1, Redirects.idIndex(args("REDIRECT")));
    }

    private static List<byte[]> args(String... a) {
        return java.util.Arrays.stream(a).map(s -> s.getBytes(StandardCharsets.US_ASCII)).toList();
    }
}
