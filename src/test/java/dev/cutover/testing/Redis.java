package dev.cutover.testing;

import dev.cutover.local.LocalServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;

/** A plain client to a test server, independent of cutover's own code (the oracle's side). */
public final class Redis implements AutoCloseable {
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    public Redis(LocalServer server) {
        RedisURI.Builder uri = RedisURI.builder().withHost(server.host()).withPort(server.port())
                .withTimeout(Duration.ofSeconds(30));
        server.spec().password().ifPresent(p -> uri.withPassword(p.toCharArray()));
        if (server.spec().tls().isPresent()) {
            uri.withSsl(true).withVerifyPeer(false); // a test's own throwaway certificate
        }
        client = RedisClient.create(uri.build());
        client.setOptions(io.lettuce.core.ClientOptions.builder()
                .protocolVersion(io.lettuce.core.protocol.ProtocolVersion.RESP2).build());
        connection = client.connect(StringCodec.UTF8);
    }

    public RedisCommands<String, String> sync() {
        return connection.sync();
    }

    /** DEBUG DIGEST: one hash of the whole dataset, comparable across Redis and Valkey. */
    public String digest() {
        return connection.sync().dispatch(CommandType.DEBUG, new StatusOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add("DIGEST"));
    }

    public String digestValue(String key) {
        Object reply = connection.sync().dispatch(CommandType.DEBUG, new io.lettuce.core.output.ArrayOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add("DIGEST-VALUE").addKey(key));
        return String.valueOf(reply);
    }

    /** Any command by name, for the ones Lettuce's typed API lacks: an array reply is a list, a scalar one a list of it. */
    public Object raw(Object... words) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8);
        for (int i = 1; i < words.length; i++) {
            args.add(String.valueOf(words[i]));
        }
        String name = String.valueOf(words[0]);
        return connection.sync().dispatch(new io.lettuce.core.protocol.ProtocolKeyword() {
            @Override
            public byte[] getBytes() {
                return name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            }

            @Override
            public String toString() {
                return name;
            }
        }, new io.lettuce.core.output.NestedMultiOutput<>(StringCodec.UTF8), args);
    }

    public String info(String section) {
        return connection.sync().info(section);
    }

    /** A number field of an INFO section, e.g. {@code infoNumber("clients", "connected_clients")}. */
    public long infoNumber(String section, String field) {
        return Long.parseLong(info(section).lines().filter(l -> l.startsWith(field + ":")).findFirst()
                .orElseThrow(() -> new AssertionError("INFO " + section + " has no " + field)).split(":")[1].strip());
    }

    public String config(String name) {
        return connection.sync().configGet(name).getOrDefault(name, "");
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
