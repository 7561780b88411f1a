package dev.cutover.route;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.EndpointUri;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the operator's command with the target's address in its environment:
 * CUTOVER_TARGET_HOST, CUTOVER_TARGET_PORT, CUTOVER_TARGET_URI (with the password only when
 * --pass-secret asks for it, then also CUTOVER_TARGET_PASSWORD). Success is exit 0.
 */
public final class ExecRepoint {
    private ExecRepoint() {
    }

    public static RepointOutcome run(EndpointUri target, RepointVia.Exec exec, java.util.Set<String> secrets) {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", exec.command()).redirectErrorStream(true);
        // No password reaches the hook through an inherited variable (e.g. a --password-env one).
        pb.environment().values().removeIf(secrets::contains);
        pb.environment().put("CUTOVER_TARGET_HOST", target.host());
        pb.environment().put("CUTOVER_TARGET_PORT", String.valueOf(target.port()));
        pb.environment().put("CUTOVER_TARGET_URI", target.withoutPassword());
        if (exec.passSecret() && target.password().isPresent()) {
            pb.environment().put("CUTOVER_TARGET_PASSWORD", target.password().get().reveal());
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw CutoverException.failed("cannot run the repoint command: " + e.getMessage());
        }
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        try {
            if (!process.waitFor(exec.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw CutoverException.failed("the repoint command did not finish within "
                        + exec.timeout().toSeconds() + "s and was killed; writes stay frozen");
            }
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CutoverException.Interrupted("repoint interrupted; the command was killed and writes stay frozen");
        }
        String text;
        try {
            // A child that keeps the hook's stdout open must not hang the shell.
            text = output.get(5, TimeUnit.SECONDS).stripTrailing();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            text = "(output not read: a child of the hook still holds it open)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            text = "";
        }
        if (process.exitValue() != 0) {
            String last = text.isEmpty() ? "" : ": " + text.lines().reduce((a, b) -> b).orElse("");
            throw CutoverException.failed("the repoint command exited with " + process.exitValue() + last
                    + "; clients were not moved and writes stay frozen: fix it and run repoint again, or unfreeze to abort");
        }
        return new RepointOutcome("the repoint command succeeded", text);
    }
}
