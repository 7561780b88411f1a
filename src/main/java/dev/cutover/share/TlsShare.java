package dev.cutover.share;

import dev.cutover.CutoverException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * Sharing over TCP: TLS with a self-signed certificate made on the spot,
 * whose SHA-256 fingerprint is part of the join line, and a random token. The attaching side
 * trusts exactly that certificate and nothing else.
 */
public final class TlsShare {
    private TlsShare() {
    }

    /** A listening TLS socket and what a participant needs to join it. */
    public record Listener(SSLServerSocket socket, String fingerprint, String token) {
    }

    public static Listener listen(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw CutoverException.usage("--listen takes HOST:PORT, e.g. 0.0.0.0:7700");
        }
        String host = hostPort.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw CutoverException.usage("'" + hostPort.substring(colon + 1) + "' is not a port");
        }
        try {
            dev.cutover.trust.SelfSignedIdentity identity = dev.cutover.trust.SelfSignedIdentity.make("cutover-share", 7);
            SSLServerSocket server = (SSLServerSocket) identity.context().getServerSocketFactory()
                    .createServerSocket(port, 50, InetAddress.getByName(host));
            return new Listener(server, identity.fingerprint(), dev.cutover.trust.SelfSignedIdentity.randomHex(18));
        } catch (IOException e) {
            throw CutoverException.failed("cannot listen for TLS on " + hostPort + ": " + e.getMessage());
        }
    }

    /** The attaching side: TLS to host:port, trusting only the certificate with this fingerprint. */
    public static AttachClient.Connector connector(String hostPort, String fingerprint) {
        dev.cutover.trust.PinnedTrust pinned = new dev.cutover.trust.PinnedTrust(fingerprint.toLowerCase(java.util.Locale.ROOT),
                "the session's certificate does not match the fingerprint in the attach line: someone may be in"
                        + " between, or the owner shared again");
        return () -> {
            int colon = hostPort.lastIndexOf(':');
            SSLSocket socket = pinned.connect(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)),
                    10_000);
            return new AttachClient.Link(socket.getInputStream(), socket.getOutputStream(), socket);
        };
    }

    static void serveAll(SSLServerSocket server, java.util.function.Consumer<Socket> each) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread t = new Thread(() -> each.accept(socket), "share-tls-participant");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }
}
