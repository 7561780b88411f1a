package dev.cutover.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real HAProxy in TCP mode in front of one server, with an admin runtime socket. */
public final class Haproxy implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path socket;

    private Haproxy(Process process, int port, Path socket) {
        this.process = process;
        this.port = port;
        this.socket = socket;
    }

    public static Haproxy start(Path dir, String upstreamHost, int upstreamPort) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path socket = dir.resolve("admin.sock");
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, String.join("\n", List.of(
                "global",
                "  stats socket " + socket + " mode 600 level admin",
                "defaults",
                "  mode tcp",
                "  timeout connect 5s",
                "  timeout client 60s",
                "  timeout server 60s",
                "frontend redis",
                "  bind 127.0.0.1:" + port,
                "  default_backend redis_back",
                "backend redis_back",
                "  server primary " + upstreamHost + ":" + upstreamPort,
                "")));
        Process p = new ProcessBuilder("haproxy", "-db", "-f", cfg.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!Files.exists(socket) && System.nanoTime() < deadline && p.isAlive()) {
            Thread.sleep(20);
        }
        if (!Files.exists(socket)) {
            p.destroyForcibly();
            throw new IllegalStateException("haproxy did not start: " + Files.readString(dir.resolve("haproxy.log")));
        }
        return new Haproxy(p, port, socket);
    }

    public int port() {
        return port;
    }

    public Path socket() {
        return socket;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
