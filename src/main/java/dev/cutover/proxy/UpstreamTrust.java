package dev.cutover.proxy;

import dev.cutover.CutoverException;
import dev.cutover.resp.TlsContexts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Whom the proxy trusts on a TLS upstream (rediss://, valkeys://): the CAs in {@code caPem} (the
 * text of a PEM file), or the JDK's default trust store when empty; the host name is verified
 * against the certificate unless {@code insecure}, which accepts any certificate (test servers
 * only). The same choices as the tool's --cacert and --insecure. Plain upstreams ignore it.
 */
public record UpstreamTrust(Optional<String> caPem, boolean insecure) {
    public UpstreamTrust {
        java.util.Objects.requireNonNull(caPem, "caPem");
    }

    /** The JDK's CAs, host name verified. */
    public static UpstreamTrust defaults() {
        return new UpstreamTrust(Optional.empty(), false);
    }

    /** The CAs in a PEM file (read now; a file that cannot be read is a usage error). */
    public static UpstreamTrust caFile(Path file) {
        try {
            return caPem(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw CutoverException.usage("cannot read the upstream CA file " + file + ": " + e.getMessage());
        }
    }

    public static UpstreamTrust caPem(String pem) {
        UpstreamTrust trust = new UpstreamTrust(Optional.of(pem), false);
        trust.certificates(); // refuse a PEM without certificates now, not at the first connection
        return trust;
    }

    /**
     * The trust an endpoint's --cacert / --insecure give its own connections, for the proxy's
     * connections to the same server (a session putting a proxy in front of its source, or moving
     * it to its target).
     */
    public static UpstreamTrust of(dev.cutover.endpoint.ConnectOptions options) {
        if (options.insecure()) {
            return insecureTrust();
        }
        return options.caCert().map(UpstreamTrust::caFile).orElseGet(UpstreamTrust::defaults);
    }

    /** Any certificate, any host name: test servers only. */
    public static UpstreamTrust insecureTrust() {
        return new UpstreamTrust(Optional.empty(), true);
    }

    /** A TLS context with this trust (the handshake checks the host name separately, see {@link #insecure}). */
    SSLContext context() {
        try {
            return TlsContexts.trusting(caPem.isPresent() ? certificates() : null, insecure);
        } catch (GeneralSecurityException | IOException e) {
            throw CutoverException.usage("cannot set up TLS to the upstream: " + e.getMessage());
        }
    }

    private Collection<? extends Certificate> certificates() {
        try {
            Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(caPem.orElse("").getBytes(StandardCharsets.US_ASCII)));
            if (all.isEmpty()) {
                throw CutoverException.usage("the upstream CA holds no PEM certificate");
            }
            return all;
        } catch (GeneralSecurityException e) {
            throw CutoverException.usage("the upstream CA is not a PEM certificate: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return insecure ? "any certificate (insecure)" : caPem.isPresent() ? "the given CA" : "the JDK's CAs";
    }
}
