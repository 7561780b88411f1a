package dev.cutover.session;

import dev.cutover.proxy.Credentials;
import dev.cutover.proxy.HoldResult;
import dev.cutover.proxy.ProxyControl;
import dev.cutover.proxy.ProxyServer;
import dev.cutover.proxy.ProxyStatus;
import dev.cutover.proxy.ReleaseResult;
import dev.cutover.proxy.SwitchResult;
import dev.cutover.proxy.UpstreamTrust;
import java.time.Duration;
import java.util.Optional;

/**
 * The cutover proxy this session drives: one it attached to over the proxy's control endpoint
 * (a long-running process: leaving the shell never cuts application traffic), or one it started
 * itself for demos and tests.
 */
sealed interface ProxyLink extends AutoCloseable {
    String describe();

    ProxyStatus status();

    HoldResult hold(Duration max);

    ReleaseResult release();

    SwitchResult switchTo(String targetUri, Optional<Credentials> clientCredentials, UpstreamTrust trust);

    @Override
    void close();

    record Attached(String address, ProxyControl control) implements ProxyLink {
        @Override
        public String describe() {
            return "attached to the proxy at " + address;
        }

        @Override
        public ProxyStatus status() {
            return control.status();
        }

        @Override
        public HoldResult hold(Duration max) {
            return control.hold(max);
        }

        @Override
        public ReleaseResult release() {
            return control.release();
        }

        @Override
        public SwitchResult switchTo(String targetUri, Optional<Credentials> clientCredentials, UpstreamTrust trust) {
            return control.switchTo(targetUri, clientCredentials, trust);
        }

        @Override
        public void close() {
            control.close(); // the proxy itself goes on
        }
    }

    record Embedded(ProxyServer server) implements ProxyLink {
        @Override
        public String describe() {
            return "a proxy inside this shell, listening on " + server.address().getHostString() + ":"
                    + server.address().getPort() + " (it stops with the shell)";
        }

        @Override
        public ProxyStatus status() {
            return server.status();
        }

        @Override
        public HoldResult hold(Duration max) {
            return server.hold(max);
        }

        @Override
        public ReleaseResult release() {
            return server.release();
        }

        @Override
        public SwitchResult switchTo(String targetUri, Optional<Credentials> clientCredentials, UpstreamTrust trust) {
            return server.switchTo(targetUri, clientCredentials, trust);
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
