package dev.cutover.trust;

import java.net.InetSocketAddress;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The connecting side's trust in exactly one certificate, named by the SHA-256 fingerprint its
 * listener printed; no CA, no host name, nothing else is trusted.
 */
public final class PinnedTrust implements X509TrustManager {
    private final String fingerprint;
    private final String mismatch;

    /** {@code mismatch}: the sentence an operator reads when the certificate is another one. */
    public PinnedTrust(String fingerprint, String mismatch) {
        this.fingerprint = fingerprint;
        this.mismatch = mismatch;
    }

    /** A TLS 1.3 connection to host:port that trusts only the pinned certificate; handshaken. */
    public SSLSocket connect(String host, int port, int timeoutMs) throws IOException {
        try {
            SSLContext tls = SSLContext.getInstance("TLSv1.3");
            tls.init(null, new TrustManager[] {this}, new SecureRandom());
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
            try {
                socket.connect(new InetSocketAddress(host, port), timeoutMs);
                socket.setSoTimeout(timeoutMs);
                socket.startHandshake();
                socket.setSoTimeout(0);
                return socket;
            } catch (IOException e) {
                socket.close();
                throw e;
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            if (chain.length == 0 || !MessageDigest.isEqual(Fingerprint.of(chain[0]).getBytes(StandardCharsets.US_ASCII),
                    fingerprint.getBytes(StandardCharsets.US_ASCII))) {
                throw new CertificateException(mismatch);
            }
        } catch (GeneralSecurityException e) {
            throw new CertificateException(e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("not a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
