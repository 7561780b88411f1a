package dev.cutover.trust;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 fingerprints of certificates, as cutover prints and pins them (64 hex digits, colons allowed). */
public final class Fingerprint {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private Fingerprint() {
    }

    public static String of(X509Certificate cert) throws GeneralSecurityException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    }

    /** The fingerprint an operator typed, normalised (lower case, no colons), or null if it is none. */
    public static String normalise(String typed) {
        String f = typed.strip().replace(":", "").toLowerCase(java.util.Locale.ROOT);
        return SHA256.matcher(f).matches() ? f : null;
    }
}
