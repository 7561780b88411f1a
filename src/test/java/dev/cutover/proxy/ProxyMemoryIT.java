package dev.cutover.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.testing.Servers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The issue's own probe against the real command: 16 connections that each declare a 512 MiB
 * bulk and send a good part of it, against a {@code cutover proxy} process with a 256 MiB heap and
 * a 64 MiB budget. The process stays alive and answers PING for a minute, and its resident memory
 * stays near what it needs idle, nowhere near the 8 GiB declared.
 */
class ProxyMemoryIT {
    private static final Path PROJECT = Path.of(System.getenv().getOrDefault("CUTOVER_PROJECT_DIR", "."));

    @RegisterExtension
    final Servers servers = new Servers();

    @Test
    void sixteenHalfGigabyteDeclarationsLeaveTheProxyAliveAndSmall() throws Exception {
        LocalServer server = servers.start(Flavour.VALKEY_9);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(PROJECT.resolve("bin/cutover").toString(), "--json", "proxy",
                "--listen", "127.0.0.1:" + port, "--upstream", server.uri(), "--memory-budget", "64mb",
                "--status-every", "0").redirectErrorStream(true);
        pb.environment().put("CUTOVER_JAVA_OPTS", "-Xmx256m");
        Process proxy = pb.start();
        List<Socket> hostile = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(proxy.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.contains("\"listening\"")) {
                // the launcher may build first
            }
            assertTrue(line != null, "the proxy never said it listens");
            Thread.ofVirtual().start(() -> {
                try {
                    out.transferTo(java.io.Writer.nullWriter());
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            InetSocketAddress at = new InetSocketAddress("127.0.0.1", port);
            assertEquals("PONG", ping(at));
            long idle = rssKiB(proxy.pid());
            byte[] chunk = new byte[1 << 20];
            for (int i = 0; i < 16; i++) {
                Socket s = new Socket();
                s.connect(at, 5000);
                hostile.add(s);
                s.getOutputStream().write("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$536870912\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            List<Thread> senders = new ArrayList<>();
            for (Socket s : hostile) {
                senders.add(Thread.ofVirtual().start(() -> {
                    try {
                        OutputStream o = s.getOutputStream();
                        for (int k = 0; k < 32; k++) { // 32 MiB each, 512 MiB in all: eight budgets
                            o.write(chunk);
                        }
                    } catch (IOException closed) {
                        // evicted to keep within the budget
                    }
                }));
            }
            long most = 0;
            for (int second = 0; second < 60; second++) {
                assertTrue(proxy.isAlive(), "the proxy exited after " + second + " s");
                assertEquals("PONG", ping(at), "PING after " + second + " s");
                most = Math.max(most, rssKiB(proxy.pid()));
                Thread.sleep(1000);
            }
            assertTrue(proxy.isAlive(), "the proxy is alive a minute later");
            // Heap (256 MiB) plus what a JVM needs beside it; 8 GiB were declared, 512 MiB sent.
            assertTrue(most < idle + 320 * 1024, "resident memory grew from " + idle + " KiB to " + most + " KiB");
            for (Socket s : hostile) {
                s.close();
            }
            for (Thread t : senders) {
                t.join(60_000);
            }
            assertEquals("PONG", ping(at));
            System.out.println("proxy RSS: idle " + idle / 1024 + " MiB, most under attack " + most / 1024 + " MiB");
        } finally {
            for (Socket s : hostile) {
                s.close();
            }
            proxy.destroy();
            if (!proxy.waitFor(30, TimeUnit.SECONDS)) {
                proxy.destroyForcibly();
            }
        }
    }

    private static String ping(InetSocketAddress at) throws IOException {
        try (RawResp c = new RawResp(at)) {
            return String.valueOf(c.call("PING"));
        }
    }

    /** VmRSS of a process, from /proc (Linux: the machines these tests run on). */
    private static long rssKiB(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS for process " + pid);
    }
}
