package dev.cutover.proxy;

import dev.cutover.proxy.CommandTable.Special;
import dev.cutover.proxy.ConnectionState.Change;
import java.util.List;

/** Reads the requests that change a connection's state: what each will change once the upstream says OK. */
final class Tracker {
    private Tracker() {
    }

    static Change change(Special special, List<byte[]> args) {
        return switch (special) {
            case AUTH -> args.size() == 2 ? new ConnectionState.Auth(ConnectionState.credentials(null, args.get(1)))
                    : args.size() == 3 ? new ConnectionState.Auth(ConnectionState.credentials(args.get(1), args.get(2)))
                    : null;
            case HELLO -> hello(args);
            case SELECT -> args.size() == 2 ? select(args.get(1)) : null;
            case READONLY -> new ConnectionState.ReadOnly(true);
            case READWRITE -> new ConnectionState.ReadOnly(false);
            case CLIENT -> client(args);
            case MONITOR -> new ConnectionState.Monitor();
            default -> null;
        };
    }

    /**
     * An AUTH or HELLO … AUTH whose credentials a switch mapped: the same command with the target's
     * credentials, or null when nothing is mapped for them.
     */
    static List<byte[]> remapped(Special special, List<byte[]> args, java.util.Map<Credentials, Credentials> map) {
        if (special == Special.AUTH && (args.size() == 2 || args.size() == 3)) {
            Credentials to = map.get(ConnectionState.credentials(args.size() == 3 ? args.get(1) : null, args.getLast()));
            if (to == null) {
                return null;
            }
            List<byte[]> out = new java.util.ArrayList<>();
            out.add(args.get(0));
            to.user().ifPresent(u -> out.add(Resp.latin1(u)));
            out.add(Resp.latin1(to.password().reveal()));
            return out;
        }
        if (special == Special.HELLO) {
            for (int i = 2; i + 2 < args.size(); i++) {
                if (Dispatcher.lower(args.get(i)).equals("auth")) {
                    Credentials to = map.get(ConnectionState.credentials(args.get(i + 1), args.get(i + 2)));
                    if (to == null) {
                        return null;
                    }
                    List<byte[]> out = new java.util.ArrayList<>(args);
                    out.set(i + 1, Resp.latin1(to.user().orElse("default")));
                    out.set(i + 2, Resp.latin1(to.password().reveal()));
                    return out;
                }
            }
        }
        return null;
    }

    private static Change select(byte[] db) {
        try {
            return new ConnectionState.Select(Integer.parseInt(Resp.latin1(db)));
        } catch (NumberFormatException e) {
            return null; // the upstream refuses it
        }
    }

    private static Change hello(List<byte[]> args) {
        int protocol = 0;
        int i = 1;
        if (args.size() > 1) {
            try {
                protocol = Integer.parseInt(Resp.latin1(args.get(1)));
                i = 2;
            } catch (NumberFormatException e) {
                return null; // "HELLO AUTH …" without a version is an error upstream
            }
        }
        Credentials credentials = null;
        byte[] name = null;
        while (i < args.size()) {
            String option = Dispatcher.lower(args.get(i));
            if (option.equals("auth") && i + 2 < args.size()) {
                credentials = ConnectionState.credentials(args.get(i + 1), args.get(i + 2));
                i += 3;
            } else if (option.equals("setname") && i + 1 < args.size()) {
                name = args.get(i + 1);
                i += 2;
            } else {
                return null;
            }
        }
        return new ConnectionState.Hello(protocol, credentials, name);
    }

    private static Change client(List<byte[]> args) {
        if (args.size() < 2) {
            return null;
        }
        String sub = Dispatcher.lower(args.get(1));
        if (sub.equals("setname") && args.size() == 3) {
            return new ConnectionState.SetName(args.get(2));
        }
        if (sub.equals("tracking") && args.size() >= 3) {
            String onOff = Dispatcher.lower(args.get(2));
            if (onOff.equals("on")) {
                return new ConnectionState.Tracking(List.copyOf(args.subList(3, args.size())));
            }
            if (onOff.equals("off")) {
                return new ConnectionState.Tracking(null);
            }
        }
        return null;
    }
}
