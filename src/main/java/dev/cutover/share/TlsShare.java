package dev.cutover.share;

import dev.cutover.CutoverException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Sharing over TCP: TLS with a self-signed certificate made on the spot (by the JDK's keytool),
 * whose SHA-256 fingerprint is part of the join line, and a random token. The attaching side
 * trusts exactly that certificate and nothing else.
 */
public final class TlsShare {
    private TlsShare() {
    }

    /** A listening TLS socket and what a participant needs to join it. */
    public record Listener(SSLServerSocket socket, String fingerprint, String token) {
    }

    public static Listener listen(String hostPort, Path workDir) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw CutoverException.usage("--listen takes HOST:PORT, e.g. 0.0.0.0:7700");
        }
        String host = hostPort.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw CutoverException.usage("'" + hostPort.substring(colon + 1) + "' is not a port");
        }
        try {
            char[] password = randomToken().toCharArray();
            Files.createDirectories(workDir);
            Path store = Files.createTempFile(workDir, "share-", ".p12");
            Files.delete(store);
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "cutover", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=cutover-share", "-validity", "7", "-storetype", "PKCS12",
                    "-keystore", store.toString(), "-storepass", new String(password), "-keypass", new String(password))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw CutoverException.failed("cannot make the share certificate with keytool: " + out.strip());
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(store)) {
                keys.load(in, password);
            }
            Files.delete(store); // the key lives in memory only
            X509Certificate cert = (X509Certificate) keys.getCertificate("cutover");
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            SSLContext tls = SSLContext.getInstance("TLSv1.3");
            tls.init(kmf.getKeyManagers(), null, new SecureRandom());
            SSLServerSocket server = (SSLServerSocket) tls.getServerSocketFactory()
                    .createServerSocket(port, 50, InetAddress.getByName(host));
            return new Listener(server, fingerprint(cert), randomToken());
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw CutoverException.failed("cannot listen for TLS on " + hostPort + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CutoverException.Interrupted("interrupted while making the share certificate");
        }
    }

    /** The attaching side: TLS to host:port, trusting only the certificate with this fingerprint. */
    public static AttachClient.Connector connector(String hostPort, String fingerprint) {
        return () -> {
            int colon = hostPort.lastIndexOf(':');
            try {
                SSLContext tls = SSLContext.getInstance("TLSv1.3");
                tls.init(null, new TrustManager[] {new Pinned(fingerprint)}, new SecureRandom());
                SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket();
                socket.connect(new InetSocketAddress(hostPort.substring(0, colon),
                        Integer.parseInt(hostPort.substring(colon + 1))), 10_000);
                socket.startHandshake();
                return new AttachClient.Link(socket.getInputStream(), socket.getOutputStream(), socket);
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException(e.getMessage(), e);
            }
        };
    }

    static String fingerprint(X509Certificate cert) throws java.security.GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    }

    private static String randomToken() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Trusts one certificate, by its SHA-256 fingerprint from the join line. */
    private record Pinned(String fingerprint) implements X509TrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                if (chain.length == 0 || !TlsShare.fingerprint(chain[0]).equalsIgnoreCase(fingerprint)) {
                    throw new CertificateException("the session's certificate does not match the fingerprint in the"
                            + " attach line: someone may be in between, or the owner shared again");
                }
            } catch (java.security.GeneralSecurityException e) {
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

    static void serveAll(SSLServerSocket server, java.util.function.Consumer<Socket> each) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread t = new Thread(() -> each.accept(socket), "share-tls-participant");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }
}
