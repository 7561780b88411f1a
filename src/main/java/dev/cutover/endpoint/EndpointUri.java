package dev.cutover.endpoint;

import dev.cutover.CutoverException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * A server address as operators write it: {@code redis://[user[:password]@]host[:port][/db]},
 * also {@code rediss://}, {@code valkey://} and {@code valkeys://} (the "s" forms use TLS).
 */
public record EndpointUri(String scheme, String host, int port, Optional<String> user,
                          Optional<Secret> password, int db) {

    public static final int DEFAULT_PORT = 6379;

    public EndpointUri {
        if (port < 1 || port > 65535) {
            throw CutoverException.usage("port " + port + " is out of range: use 1-65535");
        }
        if (db < 0) {
            throw CutoverException.usage("database number " + db + " is negative");
        }
    }

    public boolean tls() {
        return scheme.equals("rediss") || scheme.equals("valkeys");
    }

    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The URI with the password replaced by {@code ***}: safe for screens, logs and journals. */
    public String redacted() {
        return render(true, true);
    }

    /**
     * The URI with its password in clear: only for a channel that protects it (the cutover
     * proxy's control socket, which is 0600 or TLS with a token). Never for screens or logs.
     */
    public String withSecret() {
        StringBuilder sb = new StringBuilder(scheme).append("://");
        if (user.isPresent() || password.isPresent()) {
            sb.append(user.orElse(""));
            password.ifPresent(p -> sb.append(':').append(p.reveal()));
            sb.append('@');
        }
        sb.append(address());
        if (db != 0) {
            sb.append('/').append(db);
        }
        return sb.toString();
    }

    /** The URI without any password (for environment variables handed to operator hooks). */
    public String withoutPassword() {
        return render(false, true);
    }

    private String render(boolean maskPassword, boolean withUser) {
        StringBuilder sb = new StringBuilder(scheme).append("://");
        boolean showPassword = password.isPresent() && maskPassword;
        if (withUser && (user.isPresent() || showPassword)) {
            sb.append(user.orElse(""));
            if (showPassword) {
                sb.append(":***");
            }
            sb.append('@');
        }
        sb.append(address());
        if (db != 0) {
            sb.append('/').append(db);
        }
        return sb.toString();
    }

    public EndpointUri withCredentials(Optional<String> newUser, Optional<Secret> newPassword) {
        return new EndpointUri(scheme, host, port, newUser.or(() -> user),
                newPassword.or(() -> password), db);
    }

    @Override
    public String toString() {
        return redacted();
    }

    public static EndpointUri parse(String text) {
        String trimmed = text == null ? "" : text.strip();
        int schemeEnd = trimmed.indexOf("://");
        if (trimmed.isEmpty() || schemeEnd <= 0 || !trimmed.substring(0, schemeEnd).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            throw CutoverException.usage("'" + Redaction.echo(trimmed)
                    + "' is not a server URI: write redis://[user:password@]host[:port][/db]"
                    + " (also rediss://, valkey://, valkeys://)");
        }
        String scheme = trimmed.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss") && !scheme.equals("valkey")
                && !scheme.equals("valkeys")) {
            throw CutoverException.usage("unsupported scheme '" + scheme + "://' in '"
                    + Redaction.echo(trimmed) + "': use redis://, rediss://, valkey:// or valkeys://");
        }
        String rest = trimmed.substring(schemeEnd + 3);
        // The last '@' ends the user info, so a password may hold '@' or '/' unescaped.
        int at = rest.lastIndexOf('@');
        String userinfo = at >= 0 ? rest.substring(0, at) : null;
        String hostPart = at >= 0 ? rest.substring(at + 1) : rest;
        String safeUser = userinfo == null ? "" : userinfo.contains(":")
                ? userinfo.substring(0, userinfo.indexOf(':')) + ":***@" : "***@";
        String safe = scheme + "://" + safeUser + hostPart;
        if (indexOfAny(hostPart, "?#") >= 0) {
            throw CutoverException.usage("'" + safe + "' has URI parameters (?…), which cutover does not read:"
                    + " use the connect options instead (--timeout, --cacert, --user)");
        }
        String dbText = null;
        int slash = hostPart.indexOf('/');
        if (slash >= 0) {
            dbText = hostPart.substring(slash + 1);
            hostPart = hostPart.substring(0, slash);
        }
        String host;
        String portText = null;
        if (hostPart.startsWith("[")) {
            int close = hostPart.indexOf(']');
            if (close < 0) {
                throw CutoverException.usage("unclosed '[' in the IPv6 address of '" + safe + "'");
            }
            host = hostPart.substring(1, close);
            if (!host.matches("[0-9A-Fa-f:.]+")) {
                throw CutoverException.usage("'" + host + "' in '" + safe + "' is not an IPv6 address");
            }
            String after = hostPart.substring(close + 1);
            if (after.startsWith(":")) {
                portText = after.substring(1);
            } else if (!after.isEmpty()) {
                throw CutoverException.usage("'" + safe + "' has text after the IPv6 address");
            }
        } else {
            int colon = hostPart.lastIndexOf(':');
            host = colon >= 0 ? hostPart.substring(0, colon) : hostPart;
            portText = colon >= 0 ? hostPart.substring(colon + 1) : null;
        }
        if (host.isEmpty() || !host.matches("[A-Za-z0-9._:%-]+")) {
            throw CutoverException.usage("'" + safe + "' has no valid host: write redis://[user:password@]host[:port][/db]");
        }
        int port = portText == null || portText.isEmpty() ? DEFAULT_PORT : parseNumber(portText, "port", safe);
        int db = dbText == null || dbText.isEmpty() ? 0 : parseNumber(dbText, "database number", safe);
        Optional<String> user = Optional.empty();
        Optional<Secret> password = Optional.empty();
        if (userinfo != null) {
            int colon = userinfo.indexOf(':');
            String u = colon < 0 ? userinfo : userinfo.substring(0, colon);
            if (colon >= 0) {
                if (!u.isEmpty()) {
                    user = Optional.of(decode(u, "user name", safe));
                }
                password = Optional.of(Secret.of(decode(userinfo.substring(colon + 1), "password", safe)));
            } else if (!u.isEmpty()) {
                // redis://secret@host is the classic "password only" form.
                password = Optional.of(Secret.of(decode(u, "password", safe)));
            }
        }
        return new EndpointUri(scheme, host, port, user, password, db);
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static int parseNumber(String text, String what, String safeUri) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw CutoverException.usage("'" + text + "' is not a valid " + what + " in '" + safeUri + "'");
        }
    }

    private static String decode(String s, String what, String safeUri) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw CutoverException.usage("the " + what + " in '" + safeUri + "' has an invalid %-escape:"
                    + " write a literal % as %25");
        }
    }
}
