package dev.cutover.route;

import dev.cutover.CutoverException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** HAProxy's runtime API, one command per connection, on a Unix socket or host:port. */
public final class HaproxyRuntime {
    private final String socket;

    public HaproxyRuntime(String socket) {
        this.socket = socket;
    }

    public String send(String command) {
        try (SocketChannel channel = open()) {
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.shutdownOutput();
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            StringBuilder reply = new StringBuilder();
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                reply.append(StandardCharsets.UTF_8.decode(buffer));
                buffer.clear();
            }
            return reply.toString().strip();
        } catch (IOException e) {
            throw CutoverException.connection("cannot reach HAProxy's runtime API at " + socket + " (" + e.getMessage()
                    + "): check the 'stats socket' line of its config (it needs 'level admin')", e);
        }
    }

    private SocketChannel open() throws IOException {
        int colon = socket.lastIndexOf(':');
        if (!socket.contains("/") && colon > 0) {
            return SocketChannel.open(new InetSocketAddress(socket.substring(0, colon),
                    Integer.parseInt(socket.substring(colon + 1))));
        }
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(Path.of(socket)));
        return channel;
    }
}
