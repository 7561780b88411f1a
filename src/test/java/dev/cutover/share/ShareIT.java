package dev.cutover.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.local.ServerSpec;
import dev.cutover.testing.Eventually;
import dev.cutover.testing.Redis;
import dev.cutover.testing.Servers;
import dev.cutover.testing.TestShell;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real shared session, on the Unix socket and over TLS: roles from the owner's credentials,
 * identities from the system, approvals by identity, nothing secret on a participant's screen.
 */
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

        Participant(Path socket, String token, String name, boolean observe) {
            this(socket, null, token, name, observe);
        }

        Participant(AttachClient.Connector tls, String token, String name, boolean observe) {
            this(null, tls, token, name, observe);
        }

        private Participant(Path socket, AttachClient.Connector tls, String token, String name, boolean observe) {
            AttachClient client = new AttachClient(socket, name, observe, token, new PrintWriter(out, true),
                    new PrintWriter(err, true));
            if (tls != null) {
                client.over(tls);
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

        String all() {
            return out + "\n" + err;
        }
    }

    TestShell owner() {
        return new TestShell(home, Map.of("XDG_RUNTIME_DIR", home.resolve("run").toString()), false, false);
    }

    /** The token in the credential file the share output names for {@code holder}. */
    static String token(String shared, String holder) throws java.io.IOException {
        Matcher m = Pattern.compile("(/\\S+-" + Pattern.quote(holder) + "\\.token)").matcher(shared);
        assertTrue(m.find(), "no credential file for " + holder + " in: " + shared);
        Path file = Path.of(m.group(1));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        return Files.readString(file).strip();
    }

    static int joined(TestShell owner) {
        return owner.runtime().sharing().who().size();
    }

    @Test
    void rolesComeFromTheCredentialAndSecretsNeverReachAParticipant() throws Exception {
        String password = "Sh4red-s3cret-pw";
        LocalServer source = servers.start(ServerSpec.of(Flavour.REDIS_7).withPassword(password));
        Path socket = home.resolve("share").resolve("s.sock");
        try (TestShell owner = owner()) {
            var shared = owner.run("share --socket " + socket);
            assertEquals(0, shared.code(), shared.all());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            String operatorToken = token(shared.out(), "operator");
            String observerToken = token(shared.out(), "observer");
            assertFalse(shared.all().contains(operatorToken) || shared.all().contains(observerToken),
                    "a token was printed: " + shared.all());

            Participant alice = new Participant(socket, operatorToken, "alice", false);
            Eventually.await(() -> joined(owner) == 2, "alice joined");
            // The observer credential, attached without --observe, is still an observer's.
            Participant carol = new Participant(socket, observerToken, "carol", false);
            Eventually.await(() -> joined(owner) == 3, "carol joined");
            Eventually.await(() -> carol.out.toString().contains("as an observer"), "carol is told she observes");

            owner.run("connect source " + source.uriWithPassword());
            alice.type("connect target redis://:" + password + "@127.0.0.1:1");
            Eventually.await(() -> carol.all().contains("[alice] connect target redis://:***@127.0.0.1:1")
                    && carol.all().contains("[tester] connect source"), "carol sees both lines, redacted");
            carol.type("source.call('SET', 'observed', '1')");
            carol.type("stop --yes");
            Eventually.await(() -> carol.err.toString().split("observers cannot run commands", -1).length == 3,
                    "both of carol's lines are refused");
            try (Redis direct = new Redis(source)) {
                assertEquals(null, direct.sync().get("observed"), "an observer's line ran");
            }
            var who = owner.run("who");
            assertTrue(who.out().contains("alice (operator, user "), who.out());
            assertTrue(who.out().contains("carol (observer, user "), who.out());
            alice.type("invite mallory");
            Eventually.await(() -> alice.err.toString().contains("invite is the owner's to run"), "only the owner invites");

            for (Participant p : new Participant[] {alice, carol}) {
                assertFalse(p.all().contains(password), "a participant saw the password: " + p.all());
            }
            assertFalse(owner.everything().contains(password), "the owner's screen or journal shows the password");
            alice.leave();
            carol.leave();
            assertEquals(0, alice.exit.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void approvalsNeedAnotherPersonNotAnotherNameAndCoverRawCommands() throws Exception {
        LocalServer source = servers.start(Flavour.VALKEY_9);
        Path socket = home.resolve("s.sock");
        try (TestShell owner = owner(); Redis direct = new Redis(source)) {
            direct.sync().set("keep", "1");
            var shared = owner.run("share --socket " + socket, "share --listen 127.0.0.1:0", "invite dave",
                    "connect source " + source.uri(), "set approvals 2");
            assertEquals(0, shared.code(), shared.all());
            Matcher tls = Pattern.compile("tls://(\\S+) --fingerprint (\\S+)").matcher(shared.out());
            assertTrue(tls.find(), shared.out());
            String operatorToken = token(shared.out(), "operator");

            // Two names on one account: one person.
            Participant alice = new Participant(socket, operatorToken, "alice", false);
            Participant alice2 = new Participant(socket, operatorToken, "alice2", false);
            Participant dave = new Participant(TlsShare.connector(tls.group(1), tls.group(2)), token(shared.out(), "dave"),
                    "dave", false);
            Eventually.await(() -> joined(owner) == 4, "alice, alice2 and dave joined");

            alice.type("source.call('FLUSHALL')");
            Eventually.await(() -> dave.out.toString().contains("! pending #1: alice wants to source.call FLUSHALL"),
                    "a raw FLUSHALL waits for approval");
            assertEquals("1", direct.sync().get("keep"), "FLUSHALL ran before approval");
            alice2.type("approve 1");
            Eventually.await(() -> alice2.err.toString().contains("you are the same user "), "alice2 is alice");
            owner.run("approve 1"); // the owner's account is alice's too
            assertEquals("1", direct.sync().get("keep"), "the same account approved its own FLUSHALL");
            dave.type("cancel 1");
            Eventually.await(() -> alice.err.toString().contains("was cancelled by dave; nothing was changed"), "dave cancels");
            assertEquals("1", direct.sync().get("keep"));
            alice.type("source.call('GET', 'keep')");
            Eventually.await(() -> alice.out.toString().contains("\n1\n"), "a read needs no approval");

            alice.type("set approvals 1");
            Eventually.await(() -> dave.out.toString().contains("! pending #2: alice wants to set approvals 1"),
                    "turning approvals off waits too");
            assertEquals(2, owner.runtime().session().approvals().required());
            dave.type("approve 2");
            Eventually.await(() -> owner.runtime().session().approvals().required() == 1, "approved by dave, approvals are off");

            String journal = Files.readString(owner.runtime().session().journal().file());
            assertTrue(journal.contains("cancel #1 (source.call FLUSHALL proposed by alice (user "), journal);
            assertTrue(journal.contains("cancelled by dave (credential dave))"), journal);
            assertTrue(journal.contains("approve #2 (set approvals 1 proposed by alice (user "), journal);
            alice.leave();
            alice2.leave();
            dave.leave();
        }
    }

    @Test
    void theOwnerPromotesDemotesAndRemovesAtOnce() throws Exception {
        Path socket = home.resolve("s.sock");
        try (TestShell owner = owner()) {
            var shared = owner.run("share --socket " + socket, "share --listen 127.0.0.1:0", "invite bob", "invite eve --observer");
            assertEquals(0, shared.code(), shared.all());
            Matcher tls = Pattern.compile("tls://(\\S+) --fingerprint (\\S+)").matcher(shared.out());
            assertTrue(tls.find(), shared.out());
            AttachClient.Connector via = TlsShare.connector(tls.group(1), tls.group(2));
            String bobToken = token(shared.out(), "bob");
            Participant bob = new Participant(via, bobToken, "bob", false);
            Participant eve = new Participant(via, token(shared.out(), "eve"), "eve", false);
            Eventually.await(() -> joined(owner) == 3, "bob and eve joined");

            bob.type("print('bob ' + 'runs')");
            Eventually.await(() -> bob.out.toString().contains("bob runs"), "bob is an operator");
            eve.type("print('eve ' + 'runs')");
            Eventually.await(() -> eve.err.toString().contains("observers cannot run commands"), "eve observes");
            assertEquals(0, owner.run("promote eve").code());
            eve.type("print('eve ' + 'promoted')");
            Eventually.await(() -> eve.out.toString().contains("eve promoted"), "eve runs once promoted");

            assertEquals(0, owner.run("demote bob").code());
            bob.type("print('bob ' + 'demoted')");
            Eventually.await(() -> bob.err.toString().contains("observers cannot run commands"), "bob is refused at once");
            assertFalse(bob.out.toString().contains("bob demoted"), bob.out.toString());

            var kicked = owner.run("kick bob");
            assertEquals(0, kicked.code(), kicked.all());
            assertEquals(0, bob.exit.get(30, TimeUnit.SECONDS));
            assertTrue(bob.out.toString().contains("the owner removed you"), bob.out.toString());
            Participant again = new Participant(via, bobToken, "bob", false);
            assertEquals(3, again.exit.get(30, TimeUnit.SECONDS));
            assertTrue(again.err.toString().contains("not one this session issued, or it was revoked"), again.err.toString());
            Eventually.await(() -> joined(owner) == 2, "bob is gone");
            eve.leave();
        }
    }

    @Test
    void hostilePeersAreTurnedAwayAndTheSessionGoesOn() throws Exception {
        Path socket = home.resolve("s.sock");
        try (TestShell owner = owner()) {
            var shared = owner.run("share --socket " + socket, "share --listen 127.0.0.1:0", "invite zed");
            Matcher tls = Pattern.compile("tls://(\\S+) --fingerprint (\\S+)").matcher(shared.out());
            assertTrue(tls.find(), shared.out());
            String operatorToken = token(shared.out(), "operator");

            Participant guess = new Participant(socket, "0".repeat(48), "mallory", false);
            assertEquals(3, guess.exit.get(30, TimeUnit.SECONDS));
            assertTrue(guess.err.toString().contains("not one this session issued"), guess.err.toString());
            Participant escapes = new Participant(socket, operatorToken, "\u001b[2Jalice", false);
            assertEquals(3, escapes.exit.get(30, TimeUnit.SECONDS));
            assertTrue(escapes.err.toString().contains("--name takes"), escapes.err.toString());

            Participant alice = new Participant(socket, operatorToken, "alice", false);
            Eventually.await(() -> joined(owner) == 2, "alice joined");
            // Another person may not borrow her name, nor the owner's.
            for (String name : new String[] {"alice", "tester"}) {
                Participant impostor = new Participant(TlsShare.connector(tls.group(1), tls.group(2)),
                        token(shared.out(), "zed"), name, false);
                assertEquals(3, impostor.exit.get(30, TimeUnit.SECONDS));
                assertTrue(impostor.err.toString().contains("is someone else's in this session"), impostor.err.toString());
            }
            alice.type("print('still ' + 'here')");
            Eventually.await(() -> alice.out.toString().contains("still here"), "the session goes on");
            assertEquals(2, joined(owner));
            alice.leave();
        }
    }

    @Test
    void aHelloThatNeverEndsIsCutOff() throws Exception {
        Path socket = home.resolve("s.sock");
        try (TestShell owner = owner()) {
            owner.run("share --socket " + socket);
            try (SocketChannel raw = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                raw.connect(UnixDomainSocketAddress.of(socket));
                ByteBuffer junk = ByteBuffer.wrap("x".repeat(64 * 1024).getBytes());
                try {
                    while (junk.hasRemaining()) {
                        raw.write(junk);
                    }
                    ByteBuffer reply = ByteBuffer.allocate(16);
                    assertEquals(-1, raw.read(reply), "the server kept reading a 64 KB hello");
                } catch (java.io.IOException closedOnUs) {
                    // the server closed the connection while we wrote: what it should do
                }
            }
            try (SocketChannel silent = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                silent.connect(UnixDomainSocketAddress.of(socket));
                assertEquals(-1, silent.read(ByteBuffer.allocate(16)), "a silent peer was kept"); // closed after 10 s
            }
            assertEquals(1, joined(owner));
            assertEquals(0, owner.run("1+1").code(), "the session goes on");
        }
    }

    @Test
    void attachingToNothingSaysWhatToCheck() {
        StringWriter err = new StringWriter();
        int code = new AttachClient(home.resolve("nope.sock"), "dave", false, "x", new PrintWriter(new StringWriter()),
                new PrintWriter(err, true)).run(prompt -> null);
        assertEquals(4, code);
        assertTrue(err.toString().startsWith("error: cannot attach to " + home.resolve("nope.sock")), err.toString());
    }

    @Test
    void overTlsTheCertificateIsPinned() throws Exception {
        try (TestShell owner = owner()) {
            var shared = owner.run("share --listen 127.0.0.1:0");
            assertEquals(0, shared.code(), shared.all());
            Matcher m = Pattern.compile("tls://(\\S+) --fingerprint (\\S+)").matcher(shared.out());
            assertTrue(m.find(), shared.out());
            String token = token(shared.out(), "operator");
            Participant alice = new Participant(TlsShare.connector(m.group(1), m.group(2)), token, "alice", false);
            Eventually.await(() -> joined(owner) == 2, "alice joined over TLS");
            alice.type("print('over tls')");
            Eventually.await(() -> alice.out.toString().contains("over tls"), "alice runs a line over TLS");

            Participant spoofed = new Participant(TlsShare.connector(m.group(1), "00".repeat(32)), token, "eve", false);
            assertEquals(4, spoofed.exit.get(30, TimeUnit.SECONDS));
            assertTrue(spoofed.err.toString().contains("cannot attach"), spoofed.err.toString());
            alice.leave();
            owner.runtime().close();
            assertEquals(0, alice.exit.get(30, TimeUnit.SECONDS));
        }
    }
}
