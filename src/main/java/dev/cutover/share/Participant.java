package dev.cutover.share;

import java.io.IOException;
import java.io.Closeable;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One attached operator. What the session sends them is queued and written by a thread of their
 * own, so a slow or vanished participant never holds up the session (past a bound they are dropped).
 */
final class Participant {
    static final int MAX_QUEUED = 10_000;
    private final OutputStream output;
    private final Closeable connection;
    private final String name;
    private final boolean observer;
    private final BlockingQueue<String> outbox = new LinkedBlockingQueue<>();
    private final Thread sender;
    private volatile boolean open = true;

    Participant(OutputStream output, Closeable connection, String name, boolean observer) {
        this.output = output;
        this.connection = connection;
        this.name = name;
        this.observer = observer;
        this.sender = new Thread(this::drain, "share-send-" + name);
        this.sender.setDaemon(true);
        this.sender.start();
    }

    String name() {
        return name;
    }

    boolean observer() {
        return observer;
    }

    boolean isOpen() {
        return open;
    }

    void send(Message message) {
        if (!open) {
            return;
        }
        if (outbox.size() >= MAX_QUEUED) {
            close(); // they stopped reading: let them go rather than hold the session
            return;
        }
        outbox.add(message.encode() + "\n");
    }

    private void drain() {
        try {
            while (open || !outbox.isEmpty()) {
                String line = outbox.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (line != null) {
                    output.write(line.getBytes(StandardCharsets.UTF_8));
                    output.flush();
                }
            }
        } catch (IOException | InterruptedException e) {
            open = false;
        } finally {
            try {
                connection.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    /** Sends what is queued (e.g. the goodbye), then closes. */
    void close() {
        open = false;
    }
}
