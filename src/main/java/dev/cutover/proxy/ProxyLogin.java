package dev.cutover.proxy;

import dev.cutover.proxy.CommandTable.Special;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxy's own login, when it authenticates clients ({@link ClientAuth.Password}): answered
 * exactly as a server with {@code requirepass} answers. AUTH is checked here and never sent
 * upstream; HELLO … AUTH is checked here and goes upstream without its AUTH part; before a
 * connection authenticated, only the server's {@code no_auth} commands (AUTH, HELLO, QUIT, RESET)
 * are taken, every other gets NOAUTH; RESET logs the connection out, as on the server.
 */
final class ProxyLogin {
    static final byte[] NOAUTH = Resp.error("NOAUTH Authentication required.");
    static final byte[] WRONGPASS = Resp.error("WRONGPASS invalid username-password pair or user is disabled.");
    static final byte[] HELLO_NOAUTH = Resp.error("NOAUTH HELLO must be called with the client already authenticated,"
            + " otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and"
            + " select the RESP protocol version at the same time");

    /** What {@link #gate} returns for a request it answered itself (the reply queued on the connection in its turn). */
    static final List<byte[]> ANSWERED = List.of();

    private ProxyLogin() {
    }

    /**
     * Lets a request through ({@code args} as given, which is null for requests whose arguments
     * were not copied, or rewritten when the proxy took its AUTH part), or answers it here and
     * returns {@link #ANSWERED}.
     */
    static List<byte[]> gate(ClientPair p, ClientAuth.Password password, Special special, int flags, List<byte[]> args) {
        ConnectionState s = p.state;
        switch (special) {
            case AUTH -> {
                return answer(p, auth(password, s, args));
            }
            case HELLO -> {
                return hello(p, password, s, args);
            }
            case RESET -> {
                s.proxyAuthenticated = false;
                return args;
            }
            default -> {
                if (!s.proxyAuthenticated && (flags & CommandTable.NO_AUTH) == 0) {
                    return answer(p, NOAUTH);
                }
                return args;
            }
        }
    }

    private static byte[] auth(ClientAuth.Password password, ConnectionState s, List<byte[]> args) {
        if (s.multiOpen) {
            return Resp.error("ERR cutover proxy: AUTH inside MULTI is not supported; authenticate before MULTI");
        }
        if (args.size() != 2 && args.size() != 3) {
            return Resp.error("ERR wrong number of arguments for 'auth' command");
        }
        if (!password.accepts(args.size() == 3 ? args.get(1) : null, args.getLast())) {
            return WRONGPASS; // as on the server, a connection logged in before stays logged in
        }
        s.proxyAuthenticated = true;
        return Resp.OK;
    }

    private static List<byte[]> hello(ClientPair p, ClientAuth.Password password, ConnectionState s, List<byte[]> args) {
        int at = -1;
        for (int i = 2; i < args.size(); i++) {
            if (Dispatcher.lower(args.get(i)).equals("auth")) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            return s.proxyAuthenticated ? args : answer(p, HELLO_NOAUTH);
        }
        if (s.multiOpen) {
            return answer(p, Resp.error("ERR cutover proxy: HELLO AUTH inside MULTI is not supported"));
        }
        if (at + 2 >= args.size()) {
            return answer(p, Resp.error("ERR Syntax error in HELLO option 'auth'"));
        }
        if (!password.accepts(args.get(at + 1), args.get(at + 2))) {
            return answer(p, WRONGPASS);
        }
        s.proxyAuthenticated = true;
        List<byte[]> rest = new ArrayList<>(args.subList(0, at));
        rest.addAll(args.subList(at + 3, args.size()));
        return rest;
    }

    private static List<byte[]> answer(ClientPair p, byte[] reply) {
        if (p.state.repliesOff || p.state.skipNext) {
            p.state.skipNext = false; // the client asked for no reply
        } else {
            p.pending.add(PendingQueue.LOCAL, (byte) 0, 0, 0, reply);
        }
        return ANSWERED;
    }
}
