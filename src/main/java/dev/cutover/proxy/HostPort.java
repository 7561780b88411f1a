package dev.cutover.proxy;

import dev.cutover.CutoverException;

/** HOST:PORT as operators write it ({@code 127.0.0.1:6380}, {@code [::1]:6380}, {@code :6380} for all interfaces). */
public record HostPort(String host, int port) {
    public HostPort {
        if (port < 0 || port > 65535) {
            throw CutoverException.usage("port " + port + " is out of range: use 0-65535");
        }
    }

    public static HostPort parse(String text, String option) {
        String t = text == null ? "" : text.strip();
        int colon = t.lastIndexOf(':');
        if (colon < 0) {
            throw CutoverException.usage(option + " takes HOST:PORT, e.g. 127.0.0.1:6380, not '" + t + "'");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            host = "0.0.0.0";
        }
        try {
            return new HostPort(host, Integer.parseInt(t.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw CutoverException.usage(option + ": '" + t.substring(colon + 1) + "' is not a port number");
        }
    }

    /**
     * Only this machine can connect (127.0.0.0/8, ::1, or a name that resolves to them): false for the
     * wildcard address, for any other address, and for a name that does not resolve.
     */
    public boolean isLoopback() {
        try {
            java.net.InetAddress[] all = java.net.InetAddress.getAllByName(host);
            for (java.net.InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
