package dev.cutover.proxy;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.EndpointUri;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A server the proxy forwards to: its address and the commands every new connection to it starts
 * with (AUTH with the URI's credentials, SELECT of the URI's database), whose replies no client sees.
 */
record Upstream(EndpointUri uri, InetSocketAddress address, List<List<byte[]>> prelude) {

    static Upstream of(EndpointUri uri) {
        if (uri.tls()) {
            throw CutoverException.usage("the proxy does not speak TLS to its upstream yet: use redis:// or valkey:// for "
                    + uri.redacted());
        }
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
        return new Upstream(uri, new InetSocketAddress(uri.host(), uri.port()), List.copyOf(prelude));
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
