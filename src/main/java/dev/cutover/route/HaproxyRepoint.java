package dev.cutover.route;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.EndpointUri;

/**
 * Repoints a server of an HAProxy backend at the target: {@code set server B/S addr H port P},
 * then {@code shutdown sessions server B/S} so clients still on the old address reconnect,
 * then reads {@code show servers state B} to check the change took.
 */
public final class HaproxyRepoint {
    private HaproxyRepoint() {
    }

    public static RepointOutcome run(EndpointUri target, RepointVia.Haproxy via) {
        HaproxyRuntime api = new HaproxyRuntime(via.socket());
        String name = via.backend() + "/" + via.server();
        String set = api.send("set server " + name + " addr " + target.host() + " port " + target.port());
        if (set.contains("No such") || set.toLowerCase(java.util.Locale.ROOT).contains("unknown")
                || set.toLowerCase(java.util.Locale.ROOT).contains("permission denied")) {
            throw CutoverException.precondition("HAProxy refused to repoint " + name + ": " + set);
        }
        String shutdown = api.send("shutdown sessions server " + name);
        if (shutdown.contains("No such") || shutdown.toLowerCase(java.util.Locale.ROOT).contains("denied")) {
            throw CutoverException.failed("HAProxy repointed " + name + " but would not close its old sessions: " + shutdown);
        }
        String state = api.send("show servers state " + via.backend());
        if (!pointsAt(state, via.server(), target)) {
            throw CutoverException.failed("HAProxy still does not show " + name + " at " + target.address()
                    + " after the change (it said: " + set + ")");
        }
        return new RepointOutcome("HAProxy " + name + " now points at " + target.address()
                + "; sessions to the old address were closed", set);
    }

    /** Whether "show servers state" lists {@code server} with the target's address and port. */
    static boolean pointsAt(String state, String server, EndpointUri target) {
        String[] header = null;
        for (String line : state.lines().toList()) {
            if (line.startsWith("# be_id")) {
                header = line.substring(2).split(" ");
                continue;
            }
            if (header == null || line.isBlank() || line.startsWith("#") || line.matches("\\d+")) {
                continue;
            }
            String[] fields = line.split(" ");
            String name = field(header, fields, "srv_name");
            if (server.equals(name)) {
                return target.host().equals(field(header, fields, "srv_addr"))
                        && String.valueOf(target.port()).equals(field(header, fields, "srv_port"));
            }
        }
        return false;
    }

    private static String field(String[] header, String[] fields, String column) {
        for (int i = 0; i < header.length && i < fields.length; i++) {
            if (header[i].equals(column)) {
                return fields[i];
            }
        }
        return null;
    }
}
