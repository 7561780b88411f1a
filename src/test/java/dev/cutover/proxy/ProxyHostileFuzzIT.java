package dev.cutover.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.testing.Servers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The proxy against the model it must match, the server itself: the same hostile bytes go to a
 * server directly and, through the proxy, to a twin of it; the bytes that come back (and whether
 * the connection closed) must be the same. Seeded: a failure names the seed that reproduces it.
 */
class ProxyHostileFuzzIT {
    private static final long SEED = Long.getLong("cutover.fuzz.seed", 20261207L);
    private static final int CASES = Integer.getInteger("cutover.fuzz.cases", 160);

    @RegisterExtension
    final Servers servers = new Servers();
    @RegisterExtension
    final ProxyClients open = new ProxyClients();

    /** What a connection answered before it went quiet for a moment, and whether it was closed. */
    private record Answer(String bytes, boolean closed) {
    }

    @Test
    void hostileBytesGetTheServersOwnAnswer() throws Exception {
        for (Flavour flavour : new Flavour[] {Flavour.VALKEY_9, Flavour.REDIS_7}) {
            LocalServer direct = servers.start(flavour);
            LocalServer twin = servers.start(flavour);
            ProxyServer proxy = open.proxy(twin);
            HostileBytes generator = new HostileBytes(SEED + flavour.ordinal());
            for (int i = 0; i < CASES; i++) {
                byte[] request = generator.next();
                CompletableFuture<Answer> viaProxy = CompletableFuture.supplyAsync(() -> exchange(proxy.address(), request));
                Answer server = exchange(new InetSocketAddress(direct.host(), direct.port()), request);
                assertEquals(server, viaProxy.get(), flavour + " case " + i + " of seed " + (SEED + flavour.ordinal())
                        + ": " + printable(request));
            }
        }
    }

    static Answer exchange(InetSocketAddress to, byte[] request) {
        try (Socket s = new Socket()) {
            s.connect(to, 5000);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            s.setSoTimeout(400); // quiet this long: the peer waits for more (a hang guard, not a speed limit)
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (true) {
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException quiet) {
                    return new Answer(got.toString(StandardCharsets.ISO_8859_1), false);
                } catch (IOException reset) {
                    return new Answer(got.toString(StandardCharsets.ISO_8859_1), true);
                }
                if (n < 0) {
                    return new Answer(got.toString(StandardCharsets.ISO_8859_1), true);
                }
                got.write(buf, 0, n);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String printable(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            int u = x & 0xff;
            sb.append(u >= 32 && u < 127 && u != '\\' ? String.valueOf((char) u) : String.format("\\x%02x", u));
        }
        return sb.toString();
    }
}
