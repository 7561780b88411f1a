package dev.cutover.endpoint;

import dev.cutover.CutoverException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/** Turns what a server or the network said into one sentence an operator can act on. */
final class ServerErrors {
    private ServerErrors() {
    }

    /** An error reply to a command. */
    static CutoverException reply(Endpoint endpoint, String command, String message) {
        String text = message == null ? "" : message.strip();
        String upper = text.toUpperCase(Locale.ROOT);
        if (upper.startsWith("NOAUTH")) {
            return CutoverException.connection(endpoint.name() + " requires a password (NOAUTH): give it in the URI,"
                    + " with --password-env VAR or --ask-password", null);
        }
        if (upper.startsWith("WRONGPASS") || upper.contains("INVALID PASSWORD")
                || upper.contains("INVALID USERNAME-PASSWORD")) {
            return CutoverException.connection(endpoint.name() + " rejected the user name or password:"
                    + " check the credentials", null);
        }
        if (upper.startsWith("NOPERM")) {
            return CutoverException.connection(endpoint.name() + " user lacks permission for "
                    + command.toUpperCase(Locale.ROOT) + " (" + text + "): grant it in the server's ACL", null);
        }
        return CutoverException.failed(endpoint.name() + " answered " + command.toUpperCase(Locale.ROOT)
                + " with an error: " + text);
    }

    /** The connection failed while a command was under way. */
    static CutoverException transport(Endpoint endpoint, RedisException e) {
        if (e instanceof RedisCommandTimeoutException) {
            return CutoverException.connection(endpoint.name() + " did not answer within "
                    + seconds(endpoint.options()) + ": the server may be busy or the network down", e);
        }
        return CutoverException.connection("lost the connection to " + endpoint.name() + " ("
                + rootMessage(e) + "): check that the server is up, then connect again", e);
    }

    /**
     * The initial connection failed. When all that is known is that the connection closed during
     * the handshake, {@code serverSays} is asked for the server's own answer (an error reply, or
     * empty), since the client library can lose it on a busy machine.
     */
    static CutoverException connect(Role role, EndpointUri uri, ConnectOptions options, Throwable e,
                                    Supplier<Optional<String>> serverSays) {
        String who = role.label() + " " + uri.address();
        Throwable root = root(e);
        String chainText = allMessages(e).toUpperCase(Locale.ROOT);
        if (root instanceof UnknownHostException || chainText.contains("NXDOMAIN")
                || root.getClass().getSimpleName().startsWith("DnsNameResolver")) {
            return CutoverException.connection("cannot resolve the " + role.label() + " host '" + uri.host()
                    + "': check the host name", e);
        }
        if (chainText.contains("WRONGPASS") || chainText.contains("INVALID PASSWORD")
                || chainText.contains("INVALID USERNAME-PASSWORD")) {
            return CutoverException.connection(who + " rejected the user name or password: check the credentials", e);
        }
        if (root instanceof ConnectException && chainText.contains("REFUSED")
                || chainText.contains("CONNECTION REFUSED")) {
            return CutoverException.connection(who + " refused the connection: check that the server is"
                    + " running and listening on port " + uri.port(), e);
        }
        if (root instanceof NoRouteToHostException) {
            return CutoverException.connection("no route to " + who + ": check the address and the network", e);
        }
        if (chainText.contains("TIMED OUT") || chainText.contains("TIMEOUT")
                || root instanceof io.netty.channel.ConnectTimeoutException) {
            return CutoverException.connection(who + " did not answer within " + seconds(options)
                    + ": check the host, port and any firewall, or raise --timeout", e);
        }
        if (root instanceof SSLException || hasCause(e, SSLException.class)) {
            String hint = uri.tls()
                    ? "check that the server speaks TLS on this port and that --cacert names the CA that"
                    + " signed its certificate (--insecure skips the check, for test servers only)"
                    : "the server expects TLS: use rediss:// or valkeys://";
            return CutoverException.connection("TLS handshake with " + who + " failed ("
                    + String.valueOf(root.getMessage()).strip() + "): " + hint, e);
        }
        if (chainText.contains("NOAUTH") || chainText.contains("AUTHENTICATION REQUIRED")) {
            return CutoverException.connection(who + " requires a password (NOAUTH): give it in the URI,"
                    + " with --password-env VAR or --ask-password", e);
        }
        if (chainText.contains("ERR AUTH") || chainText.contains("WITHOUT ANY PASSWORD CONFIGURED")
                || chainText.contains("CALLED WITHOUT ANY PASSWORD")) {
            return CutoverException.connection(who + " has no password set but one was given: drop the"
                    + " password from the URI", e);
        }
        if (chainText.contains("NOPERM")) {
            return CutoverException.connection(who + " user lacks a permission cutover needs ("
                    + String.valueOf(root.getMessage()).strip() + "): grant it in the server's ACL", e);
        }
        if (root instanceof ClosedChannelException || chainText.contains("CONNECTION RESET")
                || chainText.contains("CLOSED") || lostHandshakeReply(e)) {
            Optional<String> said = serverSays.get();
            if (said.isPresent()) {
                return connect(role, uri, options, new IllegalStateException(said.get()), Optional::empty);
            }
            String hint = uri.tls() ? "check that the server speaks TLS on this port"
                    : "if the server expects TLS, use rediss:// or valkeys://";
            return CutoverException.connection(who + " closed the connection during the handshake: " + hint, e);
        }
        return CutoverException.connection("cannot connect to " + who + " (" + String.valueOf(root.getMessage()).strip()
                + "): check the URI and that the server is up", e);
    }

    /**
     * Lettuce sometimes loses the server's reply when the server closes the connection during
     * the handshake (e.g. after WRONGPASS) and reports only that its handler was gone: worth one retry.
     */
    static boolean lostHandshakeReply(Throwable e) {
        String text = allMessages(e);
        return text.contains("HandshakeHandler not registered") && !text.contains("WRONGPASS") && !text.contains("NOAUTH");
    }

    /** Every message in the cause chain, suppressed ones included: Lettuce nests the server's reply. */
    private static String allMessages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>(java.util.List.of(e));
        while (!todo.isEmpty()) {
            Throwable t = todo.pop();
            if (!seen.add(t)) {
                continue;
            }
            sb.append(t.getMessage()).append('\n');
            if (t.getCause() != null) {
                todo.push(t.getCause());
            }
            for (Throwable s : t.getSuppressed()) {
                todo.push(s);
            }
        }
        return sb.toString();
    }

    private static String seconds(ConnectOptions options) {
        long ms = options.timeout().toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    private static Throwable root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String rootMessage(Throwable e) {
        return String.valueOf(root(e).getMessage()).strip();
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
