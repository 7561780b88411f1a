package dev.cutover.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Ends blocking commands (BLPOP, XREAD BLOCK, WAIT, …) that the proxy's connections have in flight
 * on an upstream: finds each connection's id in CLIENT LIST by the proxy-side address, then
 * {@code CLIENT UNBLOCK <id> TIMEOUT}, so the client sees an ordinary timeout reply.
 */
final class Unblocker {
    private Unblocker() {
    }

    /** Returns how many the upstream unblocked; {@code writesOnly}: just blocking writes (BLPOP, not XREAD). */
    static int unblock(ProxyEngine engine, Upstream upstream, boolean writesOnly) {
        byte flags = (byte) (PendingQueue.BLOCKING | (writesOnly ? PendingQueue.WRITE : 0));
        Set<String> addresses = new HashSet<>();
        engine.onLoops(l -> l.pairs().stream().filter(p -> p.pending.any(flags)).map(ClientPair::upstreamLocalAddress)
                .filter(a -> a != null).map(Unblocker::format).toList()).forEach(addresses::addAll);
        if (addresses.isEmpty()) {
            return 0;
        }
        int unblocked = 0;
        try (RespClient admin = RespClient.open(upstream, Duration.ofSeconds(2))) {
            Object list = admin.call("CLIENT", "LIST");
            if (!(list instanceof String text)) {
                return 0;
            }
            for (String line : text.split("\n")) {
                String id = field(line, "id");
                String addr = field(line, "addr");
                if (id != null && addr != null && addresses.contains(addr)) {
                    Object r = admin.call("CLIENT", "UNBLOCK", id, "TIMEOUT");
                    if (r instanceof Long n && n == 1) {
                        unblocked++;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return unblocked; // tried again on the next round
        }
        return unblocked;
    }

    /** As the server's CLIENT LIST writes it: {@code 127.0.0.1:5000}, {@code [::1]:5000}. */
    static String format(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        int zone = host.indexOf('%');
        if (zone >= 0) {
            host = host.substring(0, zone);
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    static String field(String line, String name) {
        for (String part : List.of(line.strip().split(" "))) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        return null;
    }
}
