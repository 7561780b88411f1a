package dev.cutover.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real server process on a free loopback port, in its own temp dir, with no persistence.
 * Used by {@code cutover demo} and the tests; {@link #close()} stops it and removes the dir.
 */
public final class LocalServer implements AutoCloseable {
    private static final long START_TIMEOUT_MS = 30_000;
    private final ServerSpec spec;
    private final Path dir;
    private final int port;
    private final Process process;
    private final String version;

    private LocalServer(ServerSpec spec, Path dir, int port, Process process, String version) {
        this.spec = spec;
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.version = version;
    }

    public static LocalServer start(ServerSpec spec, ServerBinaries binaries) {
        ServerBinaries.Lookup lookup = binaries.find(spec.flavour());
        if (!(lookup instanceof ServerBinaries.Lookup.Found found)) {
            throw new IllegalStateException(((ServerBinaries.Lookup.Missing) lookup).reason());
        }
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return launch(spec, found);
            } catch (PortTakenException e) {
                last = e;
            }
        }
        throw last;
    }

    private static LocalServer launch(ServerSpec spec, ServerBinaries.Lookup.Found found) {
        Path dir;
        try {
            dir = Files.createTempDirectory("cutover-" + spec.flavour().id() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = freePort();
        Path log = dir.resolve("server.log");
        List<String> conf = new ArrayList<>(List.of(
                "bind 127.0.0.1", "protected-mode no", "daemonize no", "dir " + dir, "logfile " + log,
                "save \"\"", "appendonly no", "enable-debug-command local",
                // A throwaway server: start a full sync at once instead of waiting for more replicas.
                "repl-diskless-sync-delay 0"));
        if (spec.tls().isPresent()) {
            ServerSpec.Tls tls = spec.tls().get();
            conf.addAll(List.of("port 0", "tls-port " + port, "tls-cert-file " + tls.cert(),
                    "tls-key-file " + tls.key(), "tls-ca-cert-file " + tls.ca(), "tls-auth-clients no",
                    "tls-replication yes"));
        } else {
            conf.add("port " + port);
        }
        spec.password().ifPresent(p -> conf.add("requirepass " + p));
        conf.addAll(spec.config());
        Path confFile = dir.resolve("server.conf");
        try {
            if (spec.rdb().isPresent()) {
                Files.copy(spec.rdb().get(), dir.resolve("dump.rdb"));
                conf.add("dbfilename dump.rdb");
            }
            Files.write(confFile, conf, StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(found.binary().toString(), confFile.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            LocalServer server = new LocalServer(spec, dir, port, process, found.version());
            server.awaitReady(log);
            return server;
        } catch (IOException e) {
            deleteTree(dir);
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Path log) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
        while (System.nanoTime() < deadline) {
            String text = read(log);
            if (text.contains("Ready to accept connections")) {
                return;
            }
            if (!process.isAlive()) {
                String all = text + read(dir.resolve("stdout.log"));
                deleteTree(dir);
                if (all.contains("Address already in use")) {
                    throw new PortTakenException();
                }
                throw new IllegalStateException(spec.flavour().display() + " did not start: " + tail(all));
            }
            sleep(20);
        }
        close();
        throw new IllegalStateException(spec.flavour().display() + " did not report ready within "
                + START_TIMEOUT_MS / 1000 + "s");
    }

    public Flavour flavour() {
        return spec.flavour();
    }

    public ServerSpec spec() {
        return spec;
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    public Path dir() {
        return dir;
    }

    public String version() {
        return version;
    }

    public boolean isAlive() {
        return process.isAlive();
    }


    /** A URI without credentials; the scheme follows TLS. */
    public String uri() {
        return (spec.tls().isPresent() ? "rediss" : "redis") + "://" + host() + ":" + port;
    }

    /** A URI with the server's default-user password, if it has one. */
    public String uriWithPassword() {
        return spec.password().map(p -> (spec.tls().isPresent() ? "rediss" : "redis") + "://:" + p + "@"
                + host() + ":" + port).orElse(uri());
    }

    /** Stops the process at once (no save) and removes its directory. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteTree(dir);
    }


    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String text) {
        String[] lines = text.strip().split("\n");
        return String.join(" | ", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 3), lines.length));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting a server");
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Best effort: a temp dir left behind is harmless.
        }
    }

    private static final class PortTakenException extends IllegalStateException {
        PortTakenException() {
            super("the chosen port was taken before the server bound it");
        }
    }
}
