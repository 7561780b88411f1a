package dev.cutover.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code CLIENT TRACKING ON REDIRECT <id>} across a switch: the id names a connection of the old
 * upstream, so replaying it as is fails on the new one. Before the move, each redirect is matched
 * to the proxy connection it names (by its address in the old upstream's CLIENT LIST); those
 * tracking connections replay everything but tracking. After the move, once the redirect target
 * is connected to the new upstream, its new id is read there the same way and tracking goes on
 * with it, before any held request is let go.
 */
final class Redirects {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** A tracking connection and the connection its invalidations go to. */
    record Link(ClientPair tracking, ClientPair target) {
    }

    private Redirects() {
    }

    /** The position of the id after REDIRECT in the arguments after CLIENT TRACKING ON, or -1. */
    static int idIndex(List<byte[]> args) {
        for (int i = 0; i + 1 < args.size(); i++) {
            String option = Dispatcher.lower(args.get(i));
            if (option.equals("redirect")) {
                return i + 1;
            }
            if (option.equals("prefix")) {
                i++;
            }
        }
        return -1;
    }

    /**
     * Before the move (nothing in flight, dispatch paused): the redirects the proxy can follow,
     * whose tracking connections now wait for {@link #remap}. A redirect to a connection that is
     * not the proxy's is left as it is (its replay fails as before, and is counted).
     */
    static List<Link> find(ProxyEngine engine, Upstream from) {
        List<Object[]> tracking = new ArrayList<>();
        engine.onLoops(l -> l.pairs().stream()
                .filter(p -> p.state.tracking != null && !p.state.multiOpen && idIndex(p.state.tracking) >= 0)
                .map(p -> new Object[] {p, Resp.latin1(p.state.tracking.get(idIndex(p.state.tracking)))})
                .toList()).forEach(tracking::addAll);
        if (tracking.isEmpty()) {
            return List.of();
        }
        Map<String, ClientPair> byAddress = new HashMap<>();
        engine.onLoops(l -> {
            Map<String, ClientPair> m = new HashMap<>();
            l.pairs().forEach(p -> {
                InetSocketAddress a = p.upstreamLocalAddress();
                if (a != null) {
                    m.put(Unblocker.format(a), p);
                }
            });
            return m;
        }).forEach(byAddress::putAll);
        Map<String, String> addressById = clientList(from, true);
        List<Link> links = new ArrayList<>();
        for (Object[] t : tracking) {
            ClientPair target = byAddress.get(addressById.get((String) t[1]));
            if (target != null) {
                links.add(new Link((ClientPair) t[0], target));
            }
        }
        for (Link link : links) {
            join(link.tracking().loop.call(() -> link.tracking().state.trackingDeferred = true));
        }
        return links;
    }

    /** After the move, before the release: tracking goes on with each redirect target's id on {@code to}. */
    static void remap(ProxyEngine engine, Upstream to, List<Link> links) {
        if (links.isEmpty()) {
            return;
        }
        Map<ClientPair, String> addresses = new HashMap<>();
        long needed = links.stream().map(Link::target).distinct().count();
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (addresses.size() < needed && System.nanoTime() < deadline) {
            for (Link link : links) {
                ClientPair target = link.target();
                if (!addresses.containsKey(target)) {
                    String a = join(target.loop.call(() -> target.phase == ClientPair.Phase.CONNECTED
                            && target.upstreamLocalAddress() != null ? Unblocker.format(target.upstreamLocalAddress())
                            : target.phase == ClientPair.Phase.CONNECTING ? null : ""));
                    if (a != null) {
                        addresses.put(target, a);
                    }
                }
            }
            if (addresses.size() < needed) {
                sleep();
            }
        }
        Map<String, String> idByAddress = new HashMap<>();
        clientList(to, false).forEach(idByAddress::put);
        for (Link link : links) {
            String id = idByAddress.get(addresses.getOrDefault(link.target(), ""));
            ClientPair p = link.tracking();
            join(p.loop.call(() -> {
                p.redirectTracking(id);
                return null;
            }));
        }
    }

    /** CLIENT LIST as id → address ({@code byId}) or address → id; empty when the upstream cannot be asked. */
    private static Map<String, String> clientList(Upstream upstream, boolean byId) {
        Map<String, String> out = new HashMap<>();
        try (RespClient admin = RespClient.open(upstream, Duration.ofSeconds(2))) {
            if (admin.call("CLIENT", "LIST") instanceof String text) {
                for (String line : text.split("\n")) {
                    String id = Unblocker.field(line, "id");
                    String addr = Unblocker.field(line, "addr");
                    if (id != null && addr != null) {
                        out.put(byId ? id : addr, byId ? addr : id);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // the redirects are replayed as they were: the upstream counts them as replay errors
        }
        return out;
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.cutover.CutoverException.Interrupted("interrupted while following tracking redirects");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("a proxy event loop did not answer", e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.cutover.CutoverException.Interrupted("interrupted while following tracking redirects");
        }
    }
}
