package dev.cutover.share;

import dev.cutover.session.Actor;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One attached person. What the session sends them is queued and written by a thread of their
 * own, so a slow or vanished participant never holds up the session (past a bound they are
 * dropped). Their role is not theirs: the server looks it up, each line, from the credential they
 * attached with and what the owner decided since.
 */
final class Participant {
    static final int MAX_QUEUED = 10_000;
    private final int number;
    private final OutputStream output;
    private final Closeable connection;
    private final Actor actor;
    private final String credential;
    private final boolean askedToObserve;
    private final BlockingQueue<String> outbox = new LinkedBlockingQueue<>();
    private final StringBuilder pendingOut = new StringBuilder();
    private final StringBuilder pendingErr = new StringBuilder();
    private volatile boolean open = true;

    Participant(int number, OutputStream output, Closeable connection, Actor actor, String credential, boolean askedToObserve) {
        this.number = number;
        this.output = output;
        this.connection = connection;
        this.actor = actor;
        this.credential = credential;
        this.askedToObserve = askedToObserve;
        Thread sender = new Thread(this::drain, "share-send-" + number);
        sender.setDaemon(true);
        sender.start();
    }

    int number() {
        return number;
    }

    Actor actor() {
        return actor;
    }

    /** The holder of the credential they attached with. */
    String credential() {
        return credential;
    }

    boolean askedToObserve() {
        return askedToObserve;
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

    /**
     * Output arrives in pieces; it is sent a whole line at a time, each redacted, so a secret
     * split across two writes is still one line when the redaction sees it.
     */
    synchronized void output(String type, String text) {
        StringBuilder pending = type.equals("err") ? pendingErr : pendingOut;
        pending.append(text);
        int end = pending.lastIndexOf("\n");
        if (end >= 0) {
            send(Message.of(type, redactLines(pending.substring(0, end + 1))));
            pending.delete(0, end + 1);
        }
    }

    /** Sends what is left of a partial line (at a prompt, a line's output is complete). */
    synchronized void flushOutput() {
        if (!pendingOut.isEmpty()) {
            send(Message.of("out", redactLines(pendingOut.toString())));
            pendingOut.setLength(0);
        }
        if (!pendingErr.isEmpty()) {
            send(Message.of("err", redactLines(pendingErr.toString())));
            pendingErr.setLength(0);
        }
    }

    private static String redactLines(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (String line : text.split("\n", -1)) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(dev.cutover.endpoint.Redaction.line(line));
        }
        return out.toString();
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
            closeConnection();
        }
    }

    /** Sends what is queued (e.g. the goodbye), then closes. */
    void close() {
        open = false;
    }

    /** Closes at once: what was queued is not sent (a removed participant gets nothing more). */
    void cut() {
        open = false;
        outbox.clear();
        closeConnection();
    }

    private void closeConnection() {
        try {
            connection.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
