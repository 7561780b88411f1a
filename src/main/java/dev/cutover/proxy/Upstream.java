package dev.cutover.proxy;

import dev.cutover.endpoint.EndpointUri;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * A server the proxy forwards to: its address, the commands every new connection to it starts
 * with (AUTH with the URI's credentials, SELECT of the URI's database), whose replies no client
 * sees, and for a rediss:// or valkeys:// URI the TLS context its connections use ({@code tls}
 * null: plain TCP).
 */
record Upstream(EndpointUri uri, InetSocketAddress address, List<List<byte[]>> prelude, UpstreamTrust trust,
                SSLContext tls) {

    static Upstream of(EndpointUri uri) {
        return of(uri, UpstreamTrust.defaults());
    }

    static Upstream of(EndpointUri uri, UpstreamTrust trust) {
        List<List<byte[]>> prelude = new ArrayList<>();
        uri.password().ifPresent(p -> {
            List<byte[]> auth = new ArrayList<>();
            auth.add(Resp.bytes("AUTH"));
            uri.user().ifPresent(u -> auth.add(Resp.bytes(u)));
            auth.add(Resp.bytes(p.reveal()));
            prelude.add(auth);
        });
        if (uri.db() != 0) {
            prelude.add(List.of(Resp.bytes("SELECT"), Resp.bytes(Integer.toString(uri.db()))));
        }
        return new Upstream(uri, new InetSocketAddress(uri.host(), uri.port()), List.copyOf(prelude), trust,
                uri.tls() ? trust.context() : null);
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
