package dev.cutover.share;

import dev.cutover.ExitCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
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

    public AttachClient(Path socket, String name, boolean observe, PrintWriter out, PrintWriter err) {
        this.socket = socket;
        this.name = name;
        this.observe = observe;
        this.out = out;
        this.err = err;
    }

    public int run(LineSource input) {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            err.println("error: cannot attach to " + socket + " (" + e.getMessage() + "): check the path the owner"
                    + " sent, and that their session still runs 'share'");
            err.flush();
            return ExitCode.CONNECTION;
        }
        CountDownLatch ended = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel),
                    StandardCharsets.UTF_8))) {
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
                send(channel, new Message("hello", "", name, observe));
                for (String line = input.next(() -> prompt); line != null && goodbye == null;
                     line = input.next(() -> prompt)) {
                    if (!line.isBlank()) {
                        send(channel, Message.of("line", line));
                    }
                }
                channel.shutdownOutput();
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
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (goodbye != null && !goodbye.equals("the session ended")) {
            out.println("* " + goodbye);
            out.flush();
        }
        return ExitCode.OK;
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
            case "welcome" -> out.println("* " + m.s());
            case "refused" -> err.println("error: " + m.s());
            case "bye" -> goodbye = m.s();
            default -> { }
        }
        out.flush();
        err.flush();
    }

    private static synchronized void send(SocketChannel channel, Message message) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap((message.encode() + "\n").getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }
}
