package dev.cutover.proxy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** A {@link Wire} through the channel's own read and write: one system call each, made at once. */
record ChannelWire(SocketChannel channel) implements Wire {
    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public boolean batched() {
        return false;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    @Override
    public void sendLater(OutBuffer out) {
        throw new UnsupportedOperationException("a channel wire writes at once");
    }
}
