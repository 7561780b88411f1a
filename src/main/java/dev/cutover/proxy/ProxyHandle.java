package dev.cutover.proxy;

import java.time.Duration;
import java.util.Optional;

/**
 * What a session asks of a cutover proxy, whether it runs in this process ({@link ProxyServer})
 * or is reached over its control endpoint ({@link ProxyControl}).
 */
public interface ProxyHandle extends AutoCloseable {
    /** The longest a hold may last. */
    Duration MAX_HOLD = Duration.ofHours(1);

    ProxyStatus status();

    HoldResult hold(Duration max);

    ReleaseResult release();

    /**
     * Opens a connection to {@code targetUri} for every client connection, ahead of a switch there
     * (requests flow meanwhile), so the switch's pause holds no handshakes; returns how many are open.
     * A release, or a switch elsewhere, closes them.
     */
    int prepare(String targetUri, UpstreamTrust trust);

    SwitchResult switchTo(String targetUri, Optional<Credentials> clientCredentials, UpstreamTrust trust);

    @Override
    void close();
}
