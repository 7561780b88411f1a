package dev.cutover.proxy;

import dev.cutover.local.LocalServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a proxy test opens (proxies, Lettuce clients of them, raw connections), closed after the
 * test, newest first.
 */
final class ProxyClients implements AfterEachCallback {
    private final List<AutoCloseable> closing = new ArrayList<>();

    <T extends AutoCloseable> T closeAfter(T resource) {
        closing.add(resource);
        return resource;
    }

    ProxyServer proxy(LocalServer upstream) {
        return proxy(ProxyOptions.of("127.0.0.1:0", upstream.uri()));
    }

    ProxyServer proxy(ProxyOptions options) {
        return closeAfter(ProxyServer.start(options));
    }

    RedisClient client(ProxyServer proxy) {
        return client(proxy, ProtocolVersion.RESP2, null, null);
    }

    /** {@code protocol} null: Lettuce's own choice. */
    RedisClient client(ProxyServer proxy, ProtocolVersion protocol) {
        return client(proxy, protocol, null, null);
    }

    /** A client that never reconnects by itself: a reconnect would hide what the proxy did to the connection. */
    RedisClient client(ProxyServer proxy, ProtocolVersion protocol, String user, String password) {
        RedisURI.Builder uri = RedisURI.builder().withHost("127.0.0.1").withPort(proxy.address().getPort())
                .withTimeout(Duration.ofSeconds(60));
        if (password != null) {
            uri.withAuthentication(user, password.toCharArray());
        }
        RedisClient client = RedisClient.create(uri.build());
        ClientOptions.Builder options = ClientOptions.builder().autoReconnect(false);
        if (protocol != null) {
            options.protocolVersion(protocol);
        }
        client.setOptions(options.build());
        closing.add(() -> client.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
        return client;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            for (AutoCloseable c : closing.reversed()) {
                c.close();
            }
        } finally {
            closing.clear();
        }
    }
}
