package dev.cutover.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.testing.Eventually;
import dev.cutover.testing.Servers;
import dev.cutover.testing.TestShell;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Two operators and an observer on one session over a Unix socket. */
class ShareIT {
    @RegisterExtension
    final Servers servers = new Servers();

    @TempDir
    Path home;

    /** An attached participant driven by the test: lines in through a queue, everything out captured. */
    public static final class Participant {
        private static final String END = "\u0000end";
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> exit;

        Participant(Path socket, String name, boolean observe) {
            this(socket, null, null, name, observe);
        }

        Participant(AttachClient.Connector tls, String token, String name, boolean observe) {
            this(null, tls, token, name, observe);
        }

        private Participant(Path socket, AttachClient.Connector tls, String token, String name, boolean observe) {
            AttachClient client = new AttachClient(socket, name, observe, new PrintWriter(out, true), new PrintWriter(err, true));
            if (tls != null) {
                client.over(tls, token);
            }
            // A thread of its own: the common pool has one thread on a 2-core machine.
            exit = CompletableFuture.supplyAsync(() -> client.run(prompt -> {
                try {
                    String line = lines.take();
                    return line.equals(END) ? null : line;
                } catch (InterruptedException e) {
                    return null;
                }
            }), task -> {
                Thread t = new Thread(task, "participant-" + name);
                t.setDaemon(true);
                t.start();
            });
        }

        void type(String line) {
            lines.add(line);
        }

        void leave() {
            lines.add(END);
        }
    }


    @Test
    void operatorsSeeEachOthersCommandsAndOutputObserversRunNothing() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_7);
        Path socket = home.resolve("share").resolve("s.sock");
        Files.createDirectories(socket.getParent());
        try (TestShell owner = new TestShell(home)) {
            var shared = owner.run("share --socket " + socket);
            assertEquals(0, shared.code(), shared.all());
            assertTrue(shared.out().contains("cutover attach " + socket + " --name <your name>"), shared.out());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));

            Participant alice = new Participant(socket, "alice", false);
            Eventually.await(() -> owner.runtime().sharing().who().size() == 2, "alice joined");
            Participant bob = new Participant(socket, "bob", false);
            Eventually.await(() -> owner.runtime().sharing().who().size() == 3, "bob joined");
            Participant carol = new Participant(socket, "carol", true);
            Eventually.await(() -> owner.runtime().sharing().who().size() == 4, "carol joined");
            Eventually.await(() -> carol.out.toString().contains("as an observer"), "carol is told she observes");

            alice.type("connect source " + source.uri());
            Eventually.await(() -> bob.out.toString().contains("[alice] connect source " + source.uri())
                    && bob.out.toString().contains("Redis 7.0"), "bob sees alice's command and its output");
            bob.type("status().state");
            Eventually.await(() -> alice.out.toString().contains("[bob] status().state\nconnected"), "alice sees bob's line and result");
            Eventually.await(() -> carol.out.toString().contains("[bob] status().state"), "the observer sees everything");

            carol.type("stop --yes");
            Eventually.await(() -> carol.err.toString().contains("observers cannot run commands"), "the observer is refused");

            var who = owner.run("who");
            // the owner's screen also shows everything the participants did
            assertTrue(who.out().contains("* carol joined (observer)\n[alice] connect source"), who.out());
            assertTrue(who.out().endsWith("tester (owner)\nalice (operator)\nbob (operator)\ncarol (observer)\n"), who.out());
            String journal = Files.readString(owner.runtime().session().journal().file());
            assertTrue(journal.contains("\"operator\":\"alice\",\"input\":\"connect source " + source.uri()), journal);

            alice.leave();
            assertEquals(0, alice.exit.get(30, TimeUnit.SECONDS));
            Eventually.await(() -> bob.out.toString().contains("* alice left"), "bob is told alice left");
            bob.type("1+1");
            Eventually.await(() -> bob.out.toString().contains("[bob] 1+1") || bob.out.toString().contains("\n2\n"),
                    "the session goes on without alice");

            owner.runtime().close();
            assertEquals(0, bob.exit.get(30, TimeUnit.SECONDS));
            assertEquals(0, carol.exit.get(30, TimeUnit.SECONDS));
            assertTrue(bob.out.toString().contains("* the owner closed the session"), bob.out.toString());
        }
    }

    @Test
    void attachingToNothingSaysWhatToCheck() {
        StringWriter err = new StringWriter();
        int code = new AttachClient(home.resolve("nope.sock"), "dave", false, new PrintWriter(new StringWriter()),
                new PrintWriter(err, true)).run(prompt -> null);
        assertEquals(4, code);
        assertTrue(err.toString().startsWith("error: cannot attach to " + home.resolve("nope.sock")), err.toString());
    }

    @Test
    void overTlsWithTokenAndPinnedCertificate() throws Exception {
        try (TestShell owner = new TestShell(home)) {
            var shared = owner.run("share --listen 127.0.0.1:0");
            assertEquals(0, shared.code(), shared.all());
            var m = java.util.regex.Pattern.compile("tls://(\\S+) --token (\\S+) --fingerprint (\\S+)").matcher(shared.out());
            assertTrue(m.find(), shared.out());
            String address = m.group(1);
            String token = m.group(2);
            String fingerprint = m.group(3);

            Participant alice = new Participant(TlsShare.connector(address, fingerprint), token, "alice", false);
            Eventually.await(() -> owner.runtime().sharing().who().size() == 2, "alice joined over TLS");
            alice.type("print('over tls')");
            Eventually.await(() -> alice.out.toString().contains("over tls"), "alice runs a line over TLS");

            Participant mallory = new Participant(TlsShare.connector(address, fingerprint), "guess", "mallory", false);
            assertEquals(0, mallory.exit.get(30, TimeUnit.SECONDS));
            assertTrue(mallory.out.toString().contains("* wrong token"), mallory.out.toString());
            assertEquals(2, owner.runtime().sharing().who().size(), "a wrong token joined");

            Participant spoofed = new Participant(TlsShare.connector(address, "00".repeat(32)), token, "eve", false);
            assertEquals(4, spoofed.exit.get(30, TimeUnit.SECONDS));
            assertTrue(spoofed.err.toString().contains("cannot attach"), spoofed.err.toString());
            alice.leave();
        }
    }
}
