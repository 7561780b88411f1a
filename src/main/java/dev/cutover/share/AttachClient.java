package dev.cutover.share;

import dev.cutover.ExitCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * {@code cutover attach}: joins a shared session. Lines read from {@code input} go to the owner's
 * session; everything the session says comes back, with who typed each line.
 */
public final class AttachClient {
    /** Where the lines come from: a terminal reader (with the session's prompt) or a pipe. */
    public interface LineSource {
        /** The next line, or null at the end. */
        String next(Supplier<String> prompt) throws IOException;
    }

    private final Path socket;
    private final String name;
    private final boolean observe;
    private final PrintWriter out;
    private final PrintWriter err;
    private volatile String prompt = "cutover> ";
    private volatile String goodbye;

    /** {@code token}: the credential the owner issued (from a file, a variable or a prompt; never argv). */
    public AttachClient(Path socket, String name, boolean observe, String token, PrintWriter out, PrintWriter err) {
        this.socket = socket;
        this.token = token;
        this.name = name;
        this.observe = observe;
        this.out = out;
        this.err = err;
    }

    /** A connection to the owner: a Unix socket, or TLS with the certificate pinned. */
    public interface Connector {
        Link connect() throws IOException;
    }

    /** The two directions of a connection and how to close it. */
    public record Link(java.io.InputStream in, java.io.OutputStream out, java.io.Closeable closer) {
    }

    private final String token;
    private volatile boolean refused;
    private volatile boolean joined;
    private Connector connector;

    /** Attaches over TLS instead of the Unix socket. */
    public AttachClient over(Connector via) {
        this.connector = via;
        return this;
    }

    public int run(LineSource input) {
        Link channel;
        try {
            channel = connector != null ? connector.connect() : unix();
        } catch (IOException e) {
            err.println("error: cannot attach to " + (connector != null ? "the shared session" : socket) + " ("
                    + e.getMessage() + "): check the address the owner sent, and that their session still shares");
            err.flush();
            return ExitCode.CONNECTION;
        }
        CountDownLatch ended = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(channel.in(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    show(Message.decode(line));
                }
            } catch (IOException | RuntimeException e) {
                // the connection ended
            } finally {
                if (goodbye == null) {
                    goodbye = "the session ended";
                }
                ended.countDown();
            }
        }, "attach-reader");
        reader.setDaemon(true);
        reader.start();
        // Typing and the session run side by side: whichever ends first ends the client (a
        // terminal read cannot be cancelled, so the input thread is a daemon left to the exit).
        CountDownLatch inputDone = new CountDownLatch(1);
        Thread typing = new Thread(() -> {
            try {
                send(channel, new Message("hello", token, name, observe));
                for (String line = input.next(() -> prompt); line != null && goodbye == null;
                     line = input.next(() -> prompt)) {
                    if (!line.isBlank()) {
                        send(channel, Message.of("line", line));
                    }
                }
                channel.out().close();
            } catch (IOException e) {
                // the owner went away: the reader says so
            } finally {
                inputDone.countDown();
            }
        }, "attach-input");
        typing.setDaemon(true);
        typing.start();
        try {
            while (ended.getCount() > 0 && inputDone.getCount() > 0) {
                ended.await(50, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
            ended.await(5, java.util.concurrent.TimeUnit.SECONDS); // after leaving, let the session close the link
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                channel.closer().close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (goodbye != null && !goodbye.equals("the session ended")) {
            out.println("* " + goodbye);
            out.flush();
        }
        return refused ? ExitCode.PRECONDITION : ExitCode.OK;
    }

    private void show(Message m) {
        switch (m.t()) {
            case "out" -> out.print(m.s());
            case "err" -> err.print(m.s());
            case "line" -> {
                if (!name.equals(m.who())) {
                    out.println("[" + m.who() + "] " + m.s());
                }
            }
            case "prompt" -> prompt = m.s();
            case "welcome" -> {
                joined = true;
                out.println("* " + m.s());
            }
            case "refused" -> {
                err.println("error: " + m.s());
                if (!joined) {
                    refused = true; // refused at the door: this attach failed
                }
            }
            case "bye" -> goodbye = m.s();
            default -> { }
        }
        out.flush();
        err.flush();
    }

    private Link unix() throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        return new Link(Channels.newInputStream(channel), Channels.newOutputStream(channel), channel);
    }

    private static void send(Link link, Message message) throws IOException {
        synchronized (link) {
            link.out().write((message.encode() + "\n").getBytes(StandardCharsets.UTF_8));
            link.out().flush();
        }
    }
}
