package dev.cutover.endpoint;

import dev.cutover.CutoverException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server address as operators write it: {@code redis://[user[:password]@]host[:port][/db]},
 * also {@code rediss://}, {@code valkey://} and {@code valkeys://} (the "s" forms use TLS).
 */
public record EndpointUri(String scheme, String host, int port, Optional<String> user,
                          Optional<Secret> password, int db) {

    public static final int DEFAULT_PORT = 6379;
    private static final Pattern SHAPE = Pattern.compile(
            "(?<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?:(?<userinfo>[^@/]*)@)?"
                    + "(?<host>\\[[0-9A-Fa-f:.]+\\]|[^:/?#\\[\\]@]+)(?::(?<port>[^/?#]*))?"
                    + "(?:/(?<db>[^?#]*))?");

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

    /** The URI without any password (for environment variables handed to operator hooks). */
    public String withoutPassword() {
        return render(false, true);
    }

    private String render(boolean maskPassword, boolean withUser) {
        StringBuilder sb = new StringBuilder(scheme).append("://");
        if (withUser && (user.isPresent() || password.isPresent())) {
            sb.append(user.orElse(""));
            if (password.isPresent() && maskPassword) {
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
        Matcher m = SHAPE.matcher(trimmed);
        if (trimmed.isEmpty() || !m.matches()) {
            throw CutoverException.usage("'" + Redaction.uri(trimmed)
                    + "' is not a server URI: write redis://[user:password@]host[:port][/db]"
                    + " (also rediss://, valkey://, valkeys://)");
        }
        String scheme = m.group("scheme").toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss") && !scheme.equals("valkey")
                && !scheme.equals("valkeys")) {
            throw CutoverException.usage("unsupported scheme '" + scheme + "://' in '"
                    + Redaction.uri(trimmed) + "': use redis://, rediss://, valkey:// or valkeys://");
        }
        String host = m.group("host");
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = DEFAULT_PORT;
        String portText = m.group("port");
        if (portText != null && !portText.isEmpty()) {
            port = parseNumber(portText, "port", trimmed);
        }
        int db = 0;
        String dbText = m.group("db");
        if (dbText != null && !dbText.isEmpty()) {
            db = parseNumber(dbText, "database number", trimmed);
        }
        Optional<String> user = Optional.empty();
        Optional<Secret> password = Optional.empty();
        String userinfo = m.group("userinfo");
        if (userinfo != null) {
            int colon = userinfo.indexOf(':');
            String u = colon < 0 ? userinfo : userinfo.substring(0, colon);
            if (!u.isEmpty()) {
                user = Optional.of(decode(u));
            }
            if (colon >= 0) {
                password = Optional.of(Secret.of(decode(userinfo.substring(colon + 1))));
            } else if (!u.isEmpty() && user.isPresent()) {
                // redis://secret@host is the classic "password only" form.
                password = Optional.of(Secret.of(user.get()));
                user = Optional.empty();
            }
        }
        return new EndpointUri(scheme, host, port, user, password, db);
    }

    private static int parseNumber(String text, String what, String uri) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw CutoverException.usage("'" + text + "' is not a valid " + what + " in '"
                    + Redaction.uri(uri) + "'");
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
