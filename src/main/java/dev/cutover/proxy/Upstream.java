package dev.cutover.proxy;

import dev.cutover.endpoint.EndpointUri;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * A server the proxy forwards to: its address, the login with the URI's credentials (if any), and
 * for a rediss:// or valkeys:// URI the TLS context its connections use ({@code tls} null: plain
 * TCP). The login is the proxy's own: its connections for the command table and probes always use
 * it; a client's connection starts with it only when the proxy itself authenticates clients
 * ({@code logsClientsIn}), so a client the proxy did not check never reaches a logged-in upstream.
 */
record Upstream(EndpointUri uri, InetSocketAddress address, Optional<List<byte[]>> login, boolean logsClientsIn,
                UpstreamTrust trust, SSLContext tls) {

    static Upstream of(EndpointUri uri) {
        return of(uri, UpstreamTrust.defaults(), new ClientAuth.Transparent(false));
    }

    static Upstream of(EndpointUri uri, UpstreamTrust trust) {
        return of(uri, trust, new ClientAuth.Transparent(false));
    }

    static Upstream of(EndpointUri uri, UpstreamTrust trust, ClientAuth clients) {
        Optional<List<byte[]>> login = uri.password().map(p -> {
            List<byte[]> auth = new ArrayList<>();
            auth.add(Resp.bytes("AUTH"));
            uri.user().ifPresent(u -> auth.add(Resp.bytes(u)));
            auth.add(Resp.bytes(p.reveal()));
            return List.copyOf(auth);
        });
        return new Upstream(uri, new InetSocketAddress(uri.host(), uri.port()), login,
                clients instanceof ClientAuth.Password, trust, uri.tls() ? trust.context() : null);
    }

    /** What a client's connection starts with before its own state: the login when the proxy logs clients in. */
    Optional<List<byte[]>> clientLogin() {
        return logsClientsIn ? login : Optional.empty();
    }

    /** The commands a client's fresh connection starts with: the login (when the proxy logs clients in) and the URI's database. */
    List<List<byte[]>> clientPrelude() {
        List<List<byte[]>> prelude = new ArrayList<>();
        clientLogin().ifPresent(prelude::add);
        select(uri.db()).ifPresent(prelude::add);
        return prelude;
    }

    /** The commands the proxy's own connections start with: its login and the URI's database. */
    List<List<byte[]>> ownPrelude() {
        List<List<byte[]>> prelude = new ArrayList<>();
        login.ifPresent(prelude::add);
        select(uri.db()).ifPresent(prelude::add);
        return prelude;
    }

    /** SELECT of {@code db} on a fresh connection (which starts at 0). */
    static Optional<List<byte[]>> select(int db) {
        return db == 0 ? Optional.empty() : Optional.of(List.of(Resp.bytes("SELECT"), Resp.bytes(Integer.toString(db))));
    }

    /** host:port, safe to show. */
    String display() {
        return uri.address();
    }

    @Override
    public String toString() {
        return uri.redacted();
    }
}
