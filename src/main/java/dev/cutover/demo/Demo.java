package dev.cutover.demo;

import dev.cutover.ExitCode;
import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.local.ServerBinaries;
import dev.cutover.local.Provisioning;
import dev.cutover.local.ServerSpec;
import dev.cutover.shell.ShellRuntime;
import java.io.PrintWriter;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code cutover demo}: a real migration between two local servers it starts itself, while
 * application clients keep writing through a cutover proxy: scripts/cutover-via-proxy.js
 * replicates, holds writes in the proxy, moves its clients to the target and demotes the old
 * source; then the demo proves no client saw an error and no acknowledged write was lost.
 */
public final class Demo {
    private final ShellRuntime runtime;
    private final ServerBinaries binaries;
    private final Provisioning provisioning;
    private final Optional<Flavour> askedSource;
    private final Optional<Flavour> askedTarget;

    public Demo(ShellRuntime runtime, ServerBinaries binaries, Provisioning provisioning, Optional<Flavour> source,
                Optional<Flavour> target) {
        this.runtime = runtime;
        this.binaries = binaries;
        this.provisioning = provisioning;
        this.askedSource = source;
        this.askedTarget = target;
    }

    public int run() {
        PrintWriter out = runtime.console().out();
        Flavour sourceFlavour = askedSource.orElse(Flavour.REDIS_7);
        Flavour targetFlavour = askedTarget.orElseGet(() -> found(Flavour.VALKEY_9) ? Flavour.VALKEY_9 : Flavour.VALKEY_8);
        if (askedTarget.isEmpty() && targetFlavour != Flavour.VALKEY_9) {
            say(out, "Valkey 9.1 is not provisioned yet, so this demo moves to Valkey 8.0 (a package, fetched in seconds);"
                    + " 'bin/cutover demo --target valkey9' builds 9.1 from Debian's source first (a few minutes).");
        }
        Set<Flavour> missing = new LinkedHashSet<>();
        for (Flavour f : List.of(sourceFlavour, targetFlavour)) {
            if (!found(f)) {
                missing.add(f);
            }
        }
        if (!missing.isEmpty()) {
            boolean slow = missing.stream().anyMatch(Flavour::builtFromSource);
            say(out, "provisioning " + String.join(" and ", missing.stream().map(Flavour::display).toList())
                    + " from Debian's packages, once" + (slow ? " (a build from source: a few minutes)" : "")
                    + "; later runs start at once");
            Provisioning.Outcome outcome = provisioning.provide(missing, line -> say(out, line));
            List<Flavour> still = missing.stream().filter(f -> !found(f)).toList();
            if (outcome instanceof Provisioning.Outcome.Failed failed || !still.isEmpty()) {
                String why = outcome instanceof Provisioning.Outcome.Failed f ? f.reason()
                        : "provisioning ended but " + still.getFirst().display() + " still does not start";
                runtime.console().err().println("error: cannot run the demo without " + String.join(" and ",
                        (still.isEmpty() ? missing : still).stream().map(Flavour::display).toList()) + ": " + why
                        + "; or point " + (still.isEmpty() ? missing.iterator().next() : still.getFirst()).envVar()
                        + " at a server binary");
                runtime.console().err().flush();
                return ExitCode.PRECONDITION;
            }
        }
        say(out, "starting a " + sourceFlavour.display() + " source and a " + targetFlavour.display() + " target on loopback");
        Path script = scriptPath();
        try (LocalServer source = LocalServer.start(ServerSpec.of(sourceFlavour), binaries);
             LocalServer target = LocalServer.start(ServerSpec.of(targetFlavour), binaries)) {
            seed(source, SEED_KEYS);
            int proxyPort = freePort();
            Path appConfig = source.dir().resolve("app.conf");
            Files.writeString(appConfig, "redis://127.0.0.1:" + proxyPort);
            for (String line : List.of("connect source " + source.uri(), "proxy start --listen 127.0.0.1:" + proxyPort)) {
                out.println("cutover> " + line);
                out.flush();
                int code = runtime.evaluator().evaluate(line);
                if (code != ExitCode.OK) {
                    return code;
                }
            }
            say(out, "the source holds " + String.format("%,d", SEED_KEYS + SEED_KEYS / 5) + " keys ("
                    + String.format("%,d", SEED_KEYS) + " strings, " + String.format("%,d", SEED_KEYS / 5) + " hashes); " + APP_CLIENTS + " application clients write through"
                    + " the proxy (the address in " + appConfig + ") and remember every acknowledged write");
            try (AppClients app = new AppClients(appConfig, APP_CLIENTS, 5_000_000)) {
                Thread.sleep(1000);
                String line = "run " + quote(script.toString()) + " --arg source=" + source.uri() + " --arg target="
                        + target.uri() + " --arg max=30s";
                out.println();
                out.println("cutover> " + line);
                out.flush();
                int code = runtime.evaluator().evaluate(line);
                if (code != ExitCode.OK) {
                    return code;
                }
                Thread.sleep(1000);
                Map<String, String> acknowledged = app.stop();
                long lost = missingOn(target, acknowledged);
                out.println();
                say(out, acknowledged.size() + " writes were acknowledged during the migration: " + app.retried()
                        + " errors, " + lost + " lost writes (missing on the target); the longest a write waited was "
                        + app.longestWait().toMillis() + " ms, the pause the proxy's hold and switch cost the clients");
                runtime.evaluator().evaluate("proxy stop");
                runtime.evaluator().evaluate("disconnect source");
                runtime.evaluator().evaluate("disconnect target");
                say(out, "both servers stop now; nothing outside their temp dirs was touched.");
                return lost == 0 && app.retried() == 0 ? ExitCode.OK : ExitCode.STEP_FAILED;
            }
        } catch (IllegalStateException | IOException e) {
            runtime.console().err().println("error: " + e.getMessage());
            runtime.console().err().flush();
            return ExitCode.STEP_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.INTERRUPTED;
        }
    }

    private static final int SEED_KEYS = 50_000;
    private static final int APP_CLIENTS = 4;

    /** The runbook script: beside the launcher ({@code -Dcutover.home}), else under the working dir. */
    private static Path scriptPath() {
        String home = System.getProperty("cutover.home", ".");
        return Path.of(home, "scripts", "cutover-via-proxy.js");
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static void seed(LocalServer server, int keys) {
        RedisClient client = RedisClient.create(RedisURI.create(server.uri()));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            List<RedisFuture<?>> pending = new ArrayList<>();
            for (int i = 0; i < keys; i++) {
                pending.add(c.async().set("seed:" + i, "value " + i));
                if (i % 5 == 0) {
                    pending.add(c.async().hset("user:" + i, Map.of("name", "user " + i, "visits", String.valueOf(i))));
                }
            }
            LettuceFutures.awaitAll(Duration.ofSeconds(60), pending.toArray(RedisFuture[]::new));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    private static long missingOn(LocalServer server, Map<String, String> expected) {
        RedisClient client = RedisClient.create(RedisURI.create(server.uri()));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            List<Map.Entry<String, String>> entries = new ArrayList<>(expected.entrySet());
            List<RedisFuture<String>> values = new ArrayList<>();
            for (Map.Entry<String, String> e : entries) {
                values.add(c.async().get(e.getKey()));
            }
            LettuceFutures.awaitAll(Duration.ofSeconds(60), values.toArray(RedisFuture[]::new));
            long missing = 0;
            for (int i = 0; i < entries.size(); i++) {
                if (!entries.get(i).getValue().equals(values.get(i).toCompletableFuture().getNow(null))) {
                    missing++;
                }
            }
            return missing;
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    private boolean found(Flavour f) {
        return binaries.find(f) instanceof ServerBinaries.Lookup.Found;
    }

    private static void say(PrintWriter out, String text) {
        out.println("demo: " + text);
        out.flush();
    }
}
