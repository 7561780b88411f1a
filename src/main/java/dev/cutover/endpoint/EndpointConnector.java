package dev.cutover.endpoint;

import dev.cutover.CutoverException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import dev.cutover.resp.RespError;
import dev.cutover.resp.RespSocket;
import java.nio.file.Files;
import java.util.Optional;

/** Opens connections to servers, turning every failure into one clear sentence (exit code 4). */
public final class EndpointConnector {
    private final java.util.function.Supplier<ClientResources> resources;

    public EndpointConnector(java.util.function.Supplier<ClientResources> resources) {
        this.resources = resources;
    }

    /**
     * Lettuce sometimes loses the handshake's reply on a busy machine ("HandshakeHandler not
     * registered"); the server is fine, so a few more attempts are made before giving up.
     */
    private static StatefulRedisConnection<String, String> connectOnce(RedisClient client) {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.connect(StringCodec.UTF8);
            } catch (RedisException e) {
                if (attempt >= 4 || !ServerErrors.lostHandshakeReply(e)) {
                    throw e;
                }
                try {
                    Thread.sleep(50L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * The server's answer to AUTH (when there is a password) and PING on a plain connection of our
     * own: its error text, or empty when it answers them or cannot be asked either.
     */
    private static Optional<String> askDirectly(EndpointUri uri, ConnectOptions options) {
        EndpointUri bare = new EndpointUri(uri.scheme(), uri.host(), uri.port(), Optional.empty(), Optional.empty(), 0);
        ConnectOptions noCredentials = new ConnectOptions(Optional.empty(), Optional.empty(), options.caCert(),
                options.insecure(), options.timeout());
        try (RespSocket probe = RespSocket.open(bare, noCredentials, null)) {
            if (uri.password().isPresent() && probe.auth(uri.user(), uri.password().get()) instanceof RespError error) {
                return Optional.of(error.message());
            }
            return probe.call("PING") instanceof RespError error ? Optional.of(error.message()) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    public Endpoint connect(Role role, EndpointUri uri, ConnectOptions options) {
        EndpointUri effective = uri.withCredentials(options.user(), options.password());
        options.caCert().ifPresent(path -> {
            if (!Files.isReadable(path)) {
                throw CutoverException.usage("cannot read the CA certificate '" + path + "' given with --cacert");
            }
        });
        RedisURI.Builder builder = RedisURI.builder()
                .withHost(effective.host())
                .withPort(effective.port())
                .withSsl(effective.tls())
                .withVerifyPeer(!options.insecure())
                .withTimeout(options.timeout())
                .withDatabase(effective.db())
                .withClientName("cutover");
        if (effective.password().isPresent()) {
            char[] password = effective.password().get().chars();
            if (effective.user().isPresent()) {
                builder.withAuthentication(effective.user().get(), password);
            } else {
                builder.withPassword(password);
            }
        }
        RedisClient client = RedisClient.create(resources.get(), builder.build());
        ClientOptions.Builder clientOptions = ClientOptions.builder()
                .protocolVersion(ProtocolVersion.RESP2)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(options.timeout()).build())
                .timeoutOptions(TimeoutOptions.enabled(options.timeout()));
        if (effective.tls()) {
            SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider();
            options.caCert().ifPresent(path -> ssl.trustManager(path.toFile()));
            clientOptions.sslOptions(ssl.build());
        }
        client.setOptions(clientOptions.build());
        StatefulRedisConnection<String, String> connection;
        try {
            connection = connectOnce(client);
        } catch (RedisException e) {
            client.shutdown(java.time.Duration.ZERO, java.time.Duration.ofSeconds(1));
            throw ServerErrors.connect(role, effective, options, e, () -> askDirectly(effective, options));
        }
        Endpoint endpoint = new Endpoint(role, effective, options, client, connection);
        try {
            endpoint.call("PING");
        } catch (CutoverException e) {
            endpoint.close();
            throw e;
        }
        return endpoint;
    }
}
