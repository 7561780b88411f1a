package dev.cutover.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.testing.Eventually;
import dev.cutover.testing.Servers;
import dev.cutover.testing.TestShell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** set approvals 2: dangerous steps wait for a second operator, visible to all. */
class ApprovalsIT {
    @RegisterExtension
    final Servers servers = new Servers();

    @TempDir
    Path home;


    @Test
    void aSecondOperatorApprovesOrCancelsAndScriptsWaitTheSameWay() throws Exception {
        LocalServer source = servers.start(Flavour.REDIS_7);
        Path socket = home.resolve("s.sock");
        Path plan = home.resolve("plan.js");
        Files.writeString(plan, "unfreeze({yes: true});\nprint('script went on');\n");
        try (TestShell owner = new TestShell(home, java.util.Map.of("XDG_RUNTIME_DIR", home.resolve("run").toString()),
                false, false)) {
            var shared = owner.run("share --socket " + socket, "share --listen 127.0.0.1:0", "invite bob", "set approvals 2");
            java.util.regex.Matcher tls = java.util.regex.Pattern.compile("tls://(\\S+) --fingerprint (\\S+)").matcher(shared.out());
            assertTrue(tls.find(), shared.out());
            ShareIT.Participant alice = new ShareIT.Participant(socket, ShareIT.token(shared.out(), "operator"), "alice", false);
            Eventually.await(() -> owner.runtime().sharing().who().size() == 2, "alice joined");
            ShareIT.Participant bob = new ShareIT.Participant(TlsShare.connector(tls.group(1), tls.group(2)),
                    ShareIT.token(shared.out(), "bob"), "bob", false);
            Eventually.await(() -> owner.runtime().sharing().who().size() == 3, "bob joined");

            alice.type("connect source " + source.uri());
            alice.type("freeze-writes --yes --max 60s");
            Eventually.await(() -> bob.out.toString().contains("! pending #1: alice wants to freeze-writes"), "bob sees the pending step");
            assertTrue(!alice.out.toString().contains("frozen at offset"), "the step ran before approval");
            bob.type("approve");
            Eventually.await(() -> alice.out.toString().contains("frozen at offset"), "the step runs once approved");
            assertTrue(alice.out.toString().contains("! #1 approved by bob"), alice.out.toString());

            alice.type("run " + plan);
            Eventually.await(() -> bob.out.toString().contains("! pending #2: alice wants to unfreeze"), "the script waits at its step");
            bob.type("cancel 2");
            Eventually.await(() -> alice.err.toString().contains("unfreeze was cancelled by bob; nothing was changed"),
                    "alice is told it was cancelled");
            assertTrue(!alice.out.toString().contains("script went on"), alice.out.toString());
            assertTrue(owner.runtime().session().state().label().startsWith("frozen"), "a cancelled unfreeze changed nothing");

            bob.type("unfreeze --yes");
            Eventually.await(() -> alice.out.toString().contains("! pending #3: bob wants to unfreeze"), "alice sees bob's step");
            alice.type("approve 3");
            Eventually.await(() -> bob.out.toString().contains("writes on the source resumed"), "approved by alice, bob's step ran");

            String journal = Files.readString(owner.runtime().session().journal().file());
            assertTrue(journal.contains("\"operator\":\"bob\",\"input\":\"approve #1 (freeze-writes proposed by alice (user "),
                    journal);
            assertTrue(journal.contains("\"operator\":\"bob\",\"input\":\"cancel #2 (unfreeze proposed by alice (user "), journal);
            alice.leave();
            bob.leave();
        }
    }
}
