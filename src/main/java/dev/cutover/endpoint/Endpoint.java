package dev.cutover.endpoint;

import dev.cutover.CutoverException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** A connected server in one role. Every command cutover sends goes through {@link #call}. */
public final class Endpoint implements AutoCloseable {
    private final Role role;
    private final EndpointUri uri;
    private final ConnectOptions options;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    Endpoint(Role role, EndpointUri uri, ConnectOptions options, RedisClient client,
             StatefulRedisConnection<String, String> connection) {
        this.role = role;
        this.uri = uri;
        this.options = options;
        this.client = client;
        this.connection = connection;
    }

    /**
     * The same connection under the other role (a rollback swaps source and target). The old
     * object must not be closed afterwards: both share one connection.
     */
    public Endpoint as(Role newRole) {
        return new Endpoint(newRole, uri, options, client, connection);
    }

    public Role role() {
        return role;
    }

    public EndpointUri uri() {
        return uri;
    }

    public ConnectOptions options() {
        return options;
    }

    public String name() {
        return role.label() + " " + uri.address();
    }

    /**
     * Sends one command and returns its reply as plain values (String, Long, Double, Boolean,
     * null or List). An error reply becomes a {@link CutoverException.StepFailed} naming the endpoint.
     */
    public Object call(List<String> args) {
        if (args.isEmpty()) {
            throw CutoverException.usage("call needs a command name");
        }
        String name = args.getFirst();
        ProtocolKeyword keyword = new ProtocolKeyword() {
            @Override
            public byte[] getBytes() {
                return name.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String toString() {
                return name;
            }
        };
        CommandArgs<String, String> commandArgs = new CommandArgs<>(StringCodec.UTF8);
        for (String arg : args.subList(1, args.size())) {
            commandArgs.add(arg);
        }
        try {
            Object reply = connection.sync().dispatch(keyword, new ReplyOutput(), commandArgs);
            // Lettuce answers EXEC with its own TransactionResult: give callers a plain list.
            if (reply instanceof io.lettuce.core.TransactionResult transaction) {
                return transaction.wasDiscarded() ? null : transaction.stream().toList();
            }
            return reply;
        } catch (RedisCommandExecutionException e) {
            throw ServerErrors.reply(this, name, e.getMessage());
        } catch (RedisException e) {
            throw ServerErrors.transport(this, e);
        }
    }

    public Object call(String... args) {
        return call(List.of(args));
    }

    public String info(String section) {
        Object reply = section == null || section.isEmpty() ? call("INFO") : call("INFO", section);
        return reply == null ? "" : reply.toString();
    }

    public Map<String, String> infoFields(String section) {
        return ServerInfo.parseFields(info(section));
    }

    public ServerInfo serverInfo() {
        return ServerInfo.parse(info("everything"));
    }

    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public void close() {
        try {
            connection.close();
        } finally {
            client.shutdown(java.time.Duration.ZERO, java.time.Duration.ofSeconds(2));
        }
    }
}
