package dev.cutover.resp;

import dev.cutover.endpoint.ConnectOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS contexts with the tool's trust choices: given CAs, the JDK's CAs, or any certificate (the
 * operator's --insecure, for test servers). The RESP sockets and the proxy's upstream connections
 * both build theirs here.
 */
public final class TlsContexts {
    private TlsContexts() {
    }

    /** The same trust as the Lettuce connections: the --cacert file, the JDK's CAs, or --insecure. */
    static SSLContext forOptions(ConnectOptions options) throws IOException {
        try {
            if (options.insecure() || options.caCert().isEmpty()) {
                return trusting(null, options.insecure());
            }
            try (InputStream in = Files.newInputStream(options.caCert().get())) {
                return trusting(CertificateFactory.getInstance("X.509").generateCertificates(in), false);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS set-up failed: " + e.getMessage(), e);
        }
    }

    /** A context that trusts {@code cas} (null: the JDK's CAs), or any certificate when {@code insecure}. */
    public static SSLContext trusting(Collection<? extends Certificate> cas, boolean insecure)
            throws GeneralSecurityException, IOException {
        SSLContext context = SSLContext.getInstance("TLS");
        TrustManager[] trust = null;
        if (insecure) {
            trust = new TrustManager[] {new TrustEverything()};
        } else if (cas != null) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : cas) {
                store.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            trust = factory.getTrustManagers();
        }
        context.init(null, trust, null);
        return context;
    }

    /** Only with --insecure, which the operator chose for a test server. */
    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
