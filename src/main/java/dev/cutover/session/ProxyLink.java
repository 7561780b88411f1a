package dev.cutover.session;

import dev.cutover.proxy.ProxyHandle;
import dev.cutover.proxy.ProxyServer;

/**
 * The cutover proxy this session drives: one it attached to over the proxy's control endpoint
 * (a long-running process: leaving the shell never cuts application traffic, and closing this
 * link only detaches), or one it started itself for demos and tests (closing stops it).
 */
record ProxyLink(ProxyHandle proxy, String describe) implements AutoCloseable {
    static ProxyLink attached(String address, ProxyHandle control) {
        return new ProxyLink(control, "attached to the proxy at " + address);
    }

    static ProxyLink embedded(ProxyServer server) {
        return new ProxyLink(server, "a proxy inside this shell, listening on " + server.address().getHostString() + ":"
                + server.address().getPort() + " (it stops with the shell)");
    }

    boolean embedded() {
        return proxy instanceof ProxyServer;
    }

    @Override
    public void close() {
        proxy.close();
    }
}
