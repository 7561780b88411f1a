package dev.cutover.share;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Everything written goes to the owner's stream and to every participant of a shared session. */
public final class BroadcastWriter extends Writer {
    private final Writer owner;
    private final List<Consumer<String>> sinks = new CopyOnWriteArrayList<>();

    public BroadcastWriter(Writer owner) {
        this.owner = owner;
    }

    public void add(Consumer<String> sink) {
        sinks.add(sink);
    }

    public void remove(Consumer<String> sink) {
        sinks.remove(sink);
    }

    @Override
    public void write(char[] buffer, int offset, int length) throws IOException {
        owner.write(buffer, offset, length);
        if (!sinks.isEmpty()) {
            String text = new String(buffer, offset, length);
            sinks.forEach(sink -> sink.accept(text));
        }
    }

    /** Writes text to the owner's stream only (participants get it another way). */
    public void sayToOwner(String text) {
        try {
            owner.write(text);
            owner.flush();
        } catch (IOException ignored) {
            // the owner's terminal is gone
        }
    }

    /** Writes text, flushing; an owner stream that fails is not the participants' problem. */
    public void say(String text) {
        try {
            write(text.toCharArray(), 0, text.length());
            owner.flush();
        } catch (IOException ignored) {
            // the owner's terminal is gone; participants still got it
        }
    }

    @Override
    public void flush() throws IOException {
        owner.flush();
    }

    @Override
    public void close() throws IOException {
        owner.flush();
    }
}
