package dev.cutover.share;

import dev.cutover.CutoverException;
import dev.cutover.command.Sharing;
import dev.cutover.shell.LineEvaluator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code share}: the running session on a Unix socket (mode 0600, in a 0700 directory). Each
 * participant's lines run through the same evaluator as the owner's, one at a time in arrival
 * order; everyone sees every line with who typed it, and all output. Observers run nothing.
 */
public final class ShareServer implements Sharing, AutoCloseable {
    private final LineEvaluator evaluator;
    private final BroadcastWriter out;
    private final BroadcastWriter err;
    private final Supplier<String> prompt;
    private final String owner;
    private final Path defaultDir;
    private final List<Participant> participants = new CopyOnWriteArrayList<>();
    private ServerSocketChannel server;
    private Path socket;
    private javax.net.ssl.SSLServerSocket tlsServer;

    public ShareServer(LineEvaluator evaluator, BroadcastWriter out, BroadcastWriter err, Supplier<String> prompt,
                       String owner, Path defaultDir) {
        this.evaluator = evaluator;
        this.out = out;
        this.err = err;
        this.prompt = prompt;
        this.owner = owner;
        this.defaultDir = defaultDir;
    }

    @Override
    public synchronized String open(Optional<Path> requested) {
        if (server != null) {
            throw CutoverException.precondition("the session is already shared on " + socket);
        }
        Path path = requested.orElse(defaultDir.resolve("session-" + ProcessHandle.current().pid() + ".sock"));
        try {
            Files.createDirectories(path.getParent());
            if (requested.isEmpty()) {
                Files.setPosixFilePermissions(path.getParent(), PosixFilePermissions.fromString("rwx------"));
            }
            Files.deleteIfExists(path);
            ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
            server = channel;
            socket = path;
        } catch (IOException e) {
            throw CutoverException.failed("cannot open the share socket " + path + ": " + e.getMessage());
        }
        installListener();
        Thread accept = new Thread(this::acceptLoop, "share-accept");
        accept.setDaemon(true);
        accept.start();
        return "cutover attach " + path + " --name <your name> [--observe]";
    }

    @Override
    public synchronized String openTls(String listen) {
        if (tlsServer != null) {
            throw CutoverException.precondition("the session is already shared over TLS");
        }
        TlsShare.Listener listener = TlsShare.listen(listen);
        tlsServer = listener.socket();
        if (server == null) {
            installListener();
        }
        Thread accept = new Thread(() -> TlsShare.serveAll(listener.socket(), s -> {
            try {
                serve(s.getInputStream(), s.getOutputStream(), s, listener.token());
            } catch (IOException e) {
                // that participant's connection broke before it started
            }
        }), "share-tls-accept");
        accept.setDaemon(true);
        accept.start();
        String host = listen.substring(0, listen.lastIndexOf(':'));
        int port = listener.socket().getLocalPort();
        return "cutover attach tls://" + host + ":" + port + " --token " + listener.token() + " --fingerprint "
                + listener.fingerprint() + " --name <your name> [--observe]";
    }

    private void installListener() {
        evaluator.listener(new LineEvaluator.LineListener() {
            @Override
            public void onLine(String who, String line) {
                if (who == null) {
                    broadcast(new Message("line", line, owner, false)); // the owner saw it as they typed it
                } else {
                    out.sayToOwner("[" + who + "] " + line + "\n");
                    broadcast(new Message("line", line, who, false)); // each client shows it unless it typed it
                }
            }

            @Override
            public void afterLine() {
                broadcast(Message.of("prompt", prompt.get()));
            }
        });
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread reader = new Thread(() -> serve(Channels.newInputStream(channel), Channels.newOutputStream(channel),
                    channel, null), "share-participant");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /** One participant's connection, over a Unix socket or TLS; {@code token} is required on TLS. */
    void serve(java.io.InputStream input, java.io.OutputStream output, java.io.Closeable connection, String token) {
        Participant participant = null;
        Consumer<String> outSink = null;
        Consumer<String> errSink = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
            Message hello = Message.decode(String.valueOf(in.readLine()));
            if (!hello.t().equals("hello") || hello.who() == null || hello.who().isBlank()) {
                connection.close();
                return;
            }
            if (token != null && !java.security.MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                    String.valueOf(hello.s()).getBytes(StandardCharsets.UTF_8))) {
                output.write((Message.of("bye", "wrong token: ask the owner for the exact attach line").encode() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                output.flush();
                connection.close();
                announce("refused " + hello.who() + ": wrong token");
                return;
            }
            Participant p = new Participant(output, connection, hello.who(), hello.observe());
            participant = p;
            p.send(Message.of("welcome", "joined " + owner + "'s session" + (p.observer() ? " as an observer" : "")));
            p.send(Message.of("prompt", prompt.get()));
            outSink = text -> p.send(Message.of("out", text));
            errSink = text -> p.send(Message.of("err", text));
            out.add(outSink);
            err.add(errSink);
            announce(p.name() + " joined" + (p.observer() ? " (observer)" : ""));
            participants.add(p);
            for (String line = in.readLine(); line != null && p.isOpen(); line = in.readLine()) {
                Message message = Message.decode(line);
                if (!message.t().equals("line")) {
                    continue;
                }
                if (p.observer()) {
                    p.send(Message.of("refused", "observers cannot run commands: attach without --observe to take part"));
                    continue;
                }
                evaluator.evaluate(message.s(), p.name());
            }
        } catch (IOException | RuntimeException e) {
            // The participant's connection broke: the session goes on without them.
        } finally {
            if (participant != null) {
                participants.remove(participant);
                out.remove(outSink);
                err.remove(errSink);
                participant.close();
                announce(participant.name() + " left");
            }
        }
    }

    private void announce(String event) {
        out.say("* " + event + "\n");
    }

    private void broadcast(Message message) {
        participants.forEach(p -> p.send(message));
    }

    @Override
    public List<String> who() {
        List<String> all = new ArrayList<>();
        all.add(owner + " (owner)");
        participants.forEach(p -> all.add(p.name() + (p.observer() ? " (observer)" : " (operator)")));
        return all;
    }

    @Override
    public synchronized boolean isOpen() {
        return server != null || tlsServer != null;
    }

    /** The owner leaves: everyone is told, then the socket goes away. */
    @Override
    public synchronized void close() {
        if (!isOpen()) {
            return;
        }
        broadcast(Message.of("bye", "the owner closed the session"));
        participants.forEach(Participant::close);
        try {
            if (server != null) {
                server.close();
                Files.deleteIfExists(socket);
            }
            if (tlsServer != null) {
                tlsServer.close();
            }
        } catch (IOException ignored) {
            // best effort
        }
        server = null;
        tlsServer = null;
    }
}
