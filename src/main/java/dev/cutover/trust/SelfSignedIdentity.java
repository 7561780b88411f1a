package dev.cutover.trust;

import dev.cutover.CutoverException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A key pair and self-signed certificate made on the spot by the JDK's keytool, held in memory
 * only: the key store's password goes to keytool through its environment (never its argv, which
 * other users can read), and the file keytool writes lives in a private temporary directory for
 * the moment it takes to load it.
 */
public final class SelfSignedIdentity {
    private final SSLContext context;
    private final String fingerprint;

    private SelfSignedIdentity(SSLContext context, String fingerprint) {
        this.context = context;
        this.fingerprint = fingerprint;
    }

    /** Makes one, named {@code commonName} in its certificate; valid for {@code days}. */
    public static SelfSignedIdentity make(String commonName, int days) {
        Path dir = null;
        try {
            char[] password = randomHex(18).toCharArray();
            dir = Files.createTempDirectory("cutover-tls-"); // mode 0700 on POSIX
            Path store = dir.resolve("identity.p12");
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            ProcessBuilder builder = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "cutover",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + commonName,
                    "-validity", Integer.toString(days), "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass:env", "CUTOVER_KEYTOOL_PASS", "-keypass:env", "CUTOVER_KEYTOOL_PASS")
                    .redirectErrorStream(true);
            builder.environment().put("CUTOVER_KEYTOOL_PASS", new String(password));
            Process p = builder.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw CutoverException.failed("cannot make a TLS certificate with the JDK's keytool: " + out.strip());
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keys.load(in, password);
            }
            X509Certificate cert = (X509Certificate) keys.getCertificate("cutover");
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            SSLContext tls = SSLContext.getInstance("TLSv1.3");
            tls.init(kmf.getKeyManagers(), null, new SecureRandom());
            return new SelfSignedIdentity(tls, Fingerprint.of(cert));
        } catch (IOException | GeneralSecurityException e) {
            throw CutoverException.failed("cannot make a TLS certificate: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CutoverException.Interrupted("interrupted while making a TLS certificate");
        } finally {
            deleteAll(dir);
        }
    }

    /** The server side's TLS context, with this identity. */
    public SSLContext context() {
        return context;
    }

    /** The certificate's SHA-256 fingerprint, lower-case hex: what a connecting side pins. */
    public String fingerprint() {
        return fingerprint;
    }

    /** A random string of {@code bytes} random bytes in hex: tokens, passwords that never leave memory. */
    public static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void deleteAll(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary directory of the user's own: nothing secret stays in it once loaded
        }
    }
}
