package dev.cutover.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Provides missing server flavours by running the project's own scripts/provision-servers.sh
 * (Debian's packages: apt-get for Redis 7.0, an unpacked backports package for Valkey 8.0, a
 * build of Debian's source for the others), passing on each line it prints as progress.
 */
public final class Provisioning {
    private final Path script;
    private final Map<String, String> env;

    public Provisioning(Path projectHome, Map<String, String> env) {
        this.script = projectHome.resolve("scripts").resolve("provision-servers.sh");
        this.env = env;
    }

    /** What came of it: every flavour asked for is now there, or why not. */
    public sealed interface Outcome {
        record Provided() implements Outcome {
        }

        record Failed(String reason) implements Outcome {
        }
    }

    public Outcome provide(Collection<Flavour> flavours, Consumer<String> progress) {
        if (!Files.isRegularFile(script)) {
            return new Outcome.Failed(script + " is missing, so nothing can provision them here");
        }
        String ids = flavours.stream().map(Flavour::id).collect(Collectors.joining(" "));
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("CUTOVER_SERVERS", ids);
        try {
            Process p = builder.start();
            p.getOutputStream().close();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    progress.accept(line);
                }
            }
            int code = p.waitFor();
            return code == 0 ? new Outcome.Provided()
                    : new Outcome.Failed("provisioning " + ids + " failed (the lines above say why)");
        } catch (IOException e) {
            return new Outcome.Failed("cannot run " + script + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Failed("interrupted while provisioning " + ids);
        }
    }
}
