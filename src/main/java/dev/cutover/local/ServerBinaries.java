package dev.cutover.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds a flavour's server binary: the environment variable ({@code CUTOVER_VALKEY9_SERVER}),
 * the provisioning cache ({@code ~/.cache/cutover/servers/valkey9/bin}), then PATH — each
 * checked by running it with {@code --version}.
 */
public final class ServerBinaries {
    private final Map<String, String> env;

    public ServerBinaries(Map<String, String> env) {
        this.env = env;
    }

    /** The binary, or why there is none. */
    public sealed interface Lookup {
        record Found(Path binary, String version) implements Lookup {
        }

        record Missing(String reason) implements Lookup {
        }
    }

    public Path cacheDir() {
        String cache = env.get("CUTOVER_CACHE");
        if (cache != null && !cache.isBlank()) {
            return Path.of(cache);
        }
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("cutover");
    }

    public Lookup find(Flavour flavour) {
        List<Path> candidates = new ArrayList<>();
        String explicit = env.get(flavour.envVar());
        if (explicit != null && !explicit.isBlank()) {
            candidates.add(Path.of(explicit));
        }
        candidates.add(cacheDir().resolve("servers").resolve(flavour.id()).resolve("bin").resolve(flavour.binary()));
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, flavour.binary()));
            }
        }
        for (Path candidate : candidates) {
            if (Files.isExecutable(candidate)) {
                Optional<String> version = version(candidate);
                if (version.isPresent() && flavour.matches(version.get())) {
                    return new Lookup.Found(candidate, version.get());
                }
            }
        }
        return new Lookup.Missing(flavour.display() + " is not provisioned (looked at $" + flavour.envVar()
                + ", " + cacheDir().resolve("servers").resolve(flavour.id()) + " and PATH):"
                + " run 'CUTOVER_SERVERS=" + flavour.id() + " scripts/provision-servers.sh'");
    }

    private static Optional<String> version(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(new String(out, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
