package dev.cutover.share;

import dev.cutover.CutoverException;
import dev.cutover.command.Sharing;
import dev.cutover.endpoint.Redaction;
import dev.cutover.session.Actor;
import dev.cutover.session.Session;
import dev.cutover.shell.LineEvaluator;
import dev.cutover.trust.BoundedLines;
import dev.cutover.trust.PrivateSocket;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code share}: the running session on a private Unix socket and, with {@code --listen}, on TLS.
 * Whoever attaches presents a credential the owner issued (a token in a 0600 file); the
 * credential, and what the owner decided since ({@code promote}, {@code demote}, {@code kick}),
 * give the role, never the participant's own flags. Identity comes from the system: on the Unix
 * socket, the account the peer process runs as (SO_PEERCRED); over TLS, the credential itself.
 * Each participant's lines run through the same evaluator as the owner's, one at a time in
 * arrival order; everyone sees every line, redacted, with who typed it, and all output.
 */
public final class ShareServer implements Sharing, AutoCloseable {
    static final int MAX_PARTICIPANTS = 32;
    static final int HELLO_BYTES = 4096;
    static final int LINE_BYTES = 1 << 20;
    static final long HELLO_MILLIS = 10_000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");

    private final LineEvaluator evaluator;
    private final BroadcastWriter out;
    private final BroadcastWriter err;
    private final Supplier<String> prompt;
    private final Session session;
    private final Path defaultDir;
    private final Credentials credentials;
    private final List<Participant> participants = new CopyOnWriteArrayList<>();
    private final Map<String, ParticipantRole> decided = new ConcurrentHashMap<>();
    private final Set<String> removed = ConcurrentHashMap.newKeySet();
    private final AtomicInteger numbers = new AtomicInteger();
    private ServerSocketChannel server;
    private Path socket;
    private javax.net.ssl.SSLServerSocket tlsServer;
    private String tlsAddress;
    private String fingerprint;
    private boolean listening;

    public ShareServer(LineEvaluator evaluator, BroadcastWriter out, BroadcastWriter err, Supplier<String> prompt,
                       Session session, Path defaultDir) {
        this.evaluator = evaluator;
        this.out = out;
        this.err = err;
        this.prompt = prompt;
        this.session = session;
        this.defaultDir = defaultDir;
        this.credentials = new Credentials(defaultDir.resolve("credentials"), "session-" + ProcessHandle.current().pid()
                + "-" + Long.toHexString(System.nanoTime() & 0xffffff)); // unique, not secret: the tokens are
    }

    @Override
    public synchronized String open(Optional<Path> requested) {
        ownerOnly("share");
        if (server != null) {
            throw CutoverException.precondition("the session is already shared on " + socket);
        }
        Path path = requested.orElse(defaultDir.resolve("session-" + ProcessHandle.current().pid() + ".sock"));
        try {
            server = PrivateSocket.bind(path, "the share socket");
            socket = path;
        } catch (IOException e) {
            throw CutoverException.failed("cannot open the share socket " + path + ": " + e.getMessage());
        }
        startListening();
        Thread accept = new Thread(this::acceptLoop, "share-accept");
        accept.setDaemon(true);
        accept.start();
        return sharedText();
    }

    @Override
    public synchronized String openTls(String listen) {
        ownerOnly("share");
        if (tlsServer != null) {
            throw CutoverException.precondition("the session is already shared over TLS on " + tlsAddress);
        }
        TlsShare.Listener listener = TlsShare.listen(listen);
        tlsServer = listener.socket();
        fingerprint = listener.fingerprint();
        String host = listen.substring(0, listen.lastIndexOf(':'));
        tlsAddress = host + ":" + listener.socket().getLocalPort();
        startListening();
        Thread accept = new Thread(() -> TlsShare.serveAll(listener.socket(), s -> {
            try {
                s.setSoTimeout((int) HELLO_MILLIS);
                serve(s.getInputStream(), s.getOutputStream(), s, Optional.empty(), () -> {
                    try {
                        s.setSoTimeout(0);
                    } catch (IOException ignored) {
                        // the connection is closing anyway
                    }
                });
            } catch (IOException e) {
                // that participant's connection broke before it started
            }
        }), "share-tls-accept");
        accept.setDaemon(true);
        accept.start();
        return sharedText();
    }

    @Override
    public synchronized String invite(String holder, boolean observer) {
        ownerOnly("invite");
        if (!isOpen()) {
            throw CutoverException.precondition("the session is not shared: run 'share' first");
        }
        Credential c = credentials.issue(holder, observer ? ParticipantRole.OBSERVER : ParticipantRole.OPERATOR);
        return "issued a " + c.role().label() + " credential for " + holder + ":\n" + attachLines(c);
    }

    @Override
    public synchronized String remove(String who) {
        ownerOnly("kick");
        List<Participant> matched = matching(who);
        String identity = matched.isEmpty() ? identityOfCredential(who) : matched.get(0).actor().identity();
        removed.add(identity);
        credentials.all().stream().filter(c -> c.identity().equals(identity)).forEach(c -> credentials.revoke(c.holder()));
        List<Participant> gone = participants.stream().filter(p -> p.actor().identity().equals(identity)).toList();
        gone.forEach(p -> {
            p.send(Message.of("bye", "the owner removed you from the session"));
            p.close();
        });
        session.approvals().cancelProposedBy(a -> a.identity().equals(identity), "its proposer was removed");
        return "removed " + identity + (gone.isEmpty() ? "" : " (" + names(gone) + ")") + ": it cannot run, approve or attach again";
    }

    @Override
    public synchronized String setRole(String who, boolean operator) {
        ownerOnly(operator ? "promote" : "demote");
        List<Participant> matched = matching(who);
        String identity = matched.isEmpty() ? identityOfCredential(who) : matched.get(0).actor().identity();
        ParticipantRole role = operator ? ParticipantRole.OPERATOR : ParticipantRole.OBSERVER;
        decided.put(identity, role);
        if (!operator) {
            session.approvals().cancelProposedBy(a -> a.identity().equals(identity), "its proposer became an observer");
        }
        List<Participant> affected = participants.stream().filter(p -> p.actor().identity().equals(identity)).toList();
        affected.forEach(p -> p.send(Message.of("welcome", "the owner made you " + (operator ? "an operator" : "an observer"))));
        return identity + " is now " + (operator ? "an operator" : "an observer")
                + (affected.isEmpty() ? "" : " (" + names(affected) + ")");
    }

    private List<Participant> matching(String who) {
        String w = who.startsWith("#") ? who.substring(1) : who;
        List<Participant> found = participants.stream()
                .filter(p -> p.actor().name().equals(who) || String.valueOf(p.number()).equals(w)).toList();
        if (found.size() > 1) {
            throw CutoverException.usage("'" + who + "' matches several participants: name one by number, e.g. '#"
                    + found.get(0).number() + "' (see 'who')");
        }
        return found;
    }

    private String identityOfCredential(String holder) {
        return credentials.current(holder).map(Credential::identity).orElseThrow(() -> CutoverException.usage(
                "no participant or credential '" + holder + "': 'who' lists them"));
    }

    private static String names(List<Participant> ps) {
        return String.join(", ", ps.stream().map(p -> p.actor().name()).toList());
    }

    private void ownerOnly(String what) {
        if (!session.ownerAtTerminal()) {
            throw CutoverException.precondition(what + " is the owner's to run, at the session's own terminal");
        }
    }

    private String sharedText() {
        if (credentials.all().isEmpty()) {
            credentials.issue("operator", ParticipantRole.OPERATOR);
            credentials.issue("observer", ParticipantRole.OBSERVER);
        }
        StringBuilder text = new StringBuilder("shared");
        if (socket != null) {
            text.append(" on ").append(socket);
        }
        if (tlsAddress != null) {
            text.append(socket != null ? " and" : "").append(" over TLS on ").append(tlsAddress);
        }
        text.append(". Each credential is a token in a file only you can read: send its contents by a private channel;"
                + " the other person keeps it in a file of their own (--token-file) or a variable (--token-env).");
        for (Credential c : credentials.all()) {
            text.append("\n").append(c.role().label()).append(" (").append(c.holder()).append("):\n").append(attachLines(c));
        }
        text.append("\n'invite NAME' issues a credential of a person's own (needed for approvals over TLS: one credential is one person).");
        return text.toString();
    }

    private String attachLines(Credential c) {
        StringBuilder lines = new StringBuilder();
        if (socket != null) {
            lines.append("  cutover attach ").append(socket).append(" --token-file ").append(c.file()).append(" --name <your name>");
        }
        if (tlsAddress != null) {
            if (!lines.isEmpty()) {
                lines.append("\n");
            }
            lines.append("  cutover attach tls://").append(tlsAddress).append(" --fingerprint ").append(fingerprint)
                    .append(" --token-file <a file holding the token in ").append(c.file()).append("> --name <your name>");
        }
        return lines.toString();
    }

    private void startListening() {
        if (listening) {
            return;
        }
        listening = true;
        evaluator.listener(new LineEvaluator.LineListener() {
            @Override
            public void onLine(Actor who, String line) {
                String shown = printable(Redaction.line(line));
                if (who == null) {
                    broadcast(new Message("line", shown, session.owner().name(), false));
                } else {
                    out.sayToOwner("[" + who.name() + "] " + shown + "\n");
                    broadcast(new Message("line", shown, who.name(), false)); // each client shows it unless it typed it
                }
            }

            @Override
            public void afterLine() {
                participants.forEach(Participant::flushOutput);
                broadcast(Message.of("prompt", prompt.get()));
            }
        });
    }

    /** No control characters reach another person's terminal (no escape sequences that redraw it). */
    static String printable(String text) {
        StringBuilder s = new StringBuilder(text.length());
        text.codePoints().forEach(c -> s.appendCodePoint(Character.isISOControl(c) && c != '\t' ? '?' : c));
        return s.toString();
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Optional<String> account;
            try {
                account = Optional.of(channel.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user().getName());
            } catch (IOException | UnsupportedOperationException e) {
                account = Optional.empty();
            }
            if (account.isEmpty()) {
                closeQuietly(channel); // no identity the system vouches for: no entry
                continue;
            }
            Optional<String> peer = account;
            Thread reader = new Thread(() -> {
                // A Unix channel's streams have no read timeout: a watchdog closes a silent one.
                java.util.concurrent.atomic.AtomicBoolean greeted = new java.util.concurrent.atomic.AtomicBoolean();
                Thread watchdog = Thread.ofVirtual().unstarted(() -> {
                    try {
                        Thread.sleep(HELLO_MILLIS);
                        if (!greeted.get()) {
                            closeQuietly(channel);
                        }
                    } catch (InterruptedException ignored) {
                        // greeted in time
                    }
                });
                watchdog.start();
                serve(Channels.newInputStream(channel), Channels.newOutputStream(channel), channel, peer, () -> {
                    greeted.set(true);
                    watchdog.interrupt();
                });
            }, "share-participant");
            reader.setDaemon(true);
            reader.start();
        }
    }

    /**
     * One participant's connection. {@code account} is the Unix peer's account (empty over TLS);
     * {@code greeted} is told once the hello has been read, to lift the hello's time limit.
     */
    void serve(InputStream input, OutputStream output, Closeable connection, Optional<String> account, Runnable greeted) {
        Participant participant = null;
        Consumer<String> outSink = null;
        Consumer<String> errSink = null;
        try {
            BoundedLines in = new BoundedLines(input);
            String first = in.read(HELLO_BYTES);
            greeted.run();
            Message hello = first == null ? null : Message.decode(first);
            if (hello == null || !"hello".equals(hello.t())) {
                connection.close();
                return;
            }
            String name = String.valueOf(hello.who());
            Optional<Credential> credential = credentials.match(hello.s());
            String refusal = null;
            Actor actor = null;
            if (credential.isEmpty()) {
                refusal = "that token is not one this session issued, or it was revoked: ask the owner for a credential";
            } else if (!NAME.matcher(name).matches()) {
                refusal = "--name takes 1-32 letters, digits, '.', '_' or '-'";
            } else {
                actor = new Actor(name, account.map(a -> "user " + a).orElse(credential.get().identity()));
                Actor a = actor;
                if (removed.contains(actor.identity())) {
                    refusal = "the owner removed " + actor.identity() + " from this session";
                } else if (name.equals(session.owner().name()) && !actor.samePerson(session.owner())
                        || participants.stream().anyMatch(p -> p.actor().name().equals(name) && !p.actor().samePerson(a))) {
                    refusal = "the name '" + name + "' is someone else's in this session: choose another with --name";
                } else if (participants.size() >= MAX_PARTICIPANTS) {
                    refusal = "the session has " + MAX_PARTICIPANTS + " participants already";
                }
            }
            if (refusal != null) {
                output.write((Message.of("refused", refusal).encode() + "\n").getBytes(StandardCharsets.UTF_8));
                output.flush();
                connection.close();
                announce("refused an attach" + (NAME.matcher(name).matches() ? " as " + name : "") + ": "
                        + (credential.isEmpty() ? "unknown token" : refusal));
                return;
            }
            Participant p = new Participant(numbers.incrementAndGet(), output, connection, actor,
                    credential.get().holder(), hello.observe());
            participant = p;
            ParticipantRole role = roleOf(p).orElse(ParticipantRole.OBSERVER);
            p.send(Message.of("welcome", "joined " + session.owner().name() + "'s session as "
                    + (role == ParticipantRole.OPERATOR ? "an operator" : "an observer") + " (you are " + actor.identity() + ")"));
            p.send(Message.of("prompt", prompt.get()));
            outSink = text -> p.output("out", text);
            errSink = text -> p.output("err", text);
            out.add(outSink);
            err.add(errSink);
            announce(name + " joined as " + role.label() + " (" + actor.identity() + ")");
            participants.add(p);
            for (String line = in.read(LINE_BYTES); line != null && p.isOpen(); line = in.read(LINE_BYTES)) {
                Message message = Message.decode(line);
                if (!"line".equals(message.t()) || message.s() == null || message.s().isBlank()) {
                    continue;
                }
                if (!mayRun(p)) {
                    p.send(Message.of("refused", refusedBecause(p)));
                    continue;
                }
                evaluator.evaluate(message.s(), p.actor(), () -> mayRun(p));
            }
        } catch (IOException | RuntimeException e) {
            // The participant's connection broke, or it sent what no client sends: the session goes on without them.
            closeQuietly(connection);
        } finally {
            if (participant != null) {
                participants.remove(participant);
                out.remove(outSink);
                err.remove(errSink);
                participant.close();
                announce(participant.actor().name() + " left");
            }
        }
    }

    /** The role a participant has now: none once removed or their credential revoked. */
    private Optional<ParticipantRole> roleOf(Participant p) {
        if (removed.contains(p.actor().identity())) {
            return Optional.empty();
        }
        return credentials.current(p.credential()).map(c -> decided.getOrDefault(p.actor().identity(), c.role())
                .atMost(p.askedToObserve() ? ParticipantRole.OBSERVER : ParticipantRole.OPERATOR));
    }

    private boolean mayRun(Participant p) {
        return p.isOpen() && roleOf(p).orElse(ParticipantRole.OBSERVER) == ParticipantRole.OPERATOR;
    }

    private String refusedBecause(Participant p) {
        if (roleOf(p).isEmpty()) {
            return "your credential was revoked: you can no longer run commands here";
        }
        return p.askedToObserve() ? "you attached with --observe: attach again without it to take part (if your credential allows)"
                : "observers cannot run commands: the owner decides roles ('promote')";
    }

    private void announce(String event) {
        out.say("* " + printable(event) + "\n");
    }

    private void broadcast(Message message) {
        participants.forEach(p -> p.send(message));
    }

    @Override
    public List<String> who() {
        List<String> all = new ArrayList<>();
        all.add(session.owner().name() + " (owner, " + session.owner().identity() + ")");
        participants.forEach(p -> all.add("#" + p.number() + " " + p.actor().name() + " ("
                + roleOf(p).map(ParticipantRole::label).orElse("removed") + ", " + p.actor().identity()
                + ", credential " + p.credential() + ")"));
        return all;
    }

    @Override
    public synchronized boolean isOpen() {
        return server != null || tlsServer != null;
    }

    /** The owner leaves: everyone is told, the socket goes away and every credential is revoked. */
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
        credentials.revokeAll();
        server = null;
        tlsServer = null;
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
