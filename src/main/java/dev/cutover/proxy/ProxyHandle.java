package dev.cutover.proxy;

import java.time.Duration;
import java.util.Optional;

/**
 * What a session asks of a cutover proxy, whether it runs in this process ({@link ProxyServer})
 * or is reached over its control endpoint ({@link ProxyControl}).
 */
public interface ProxyHandle extends AutoCloseable {
    ProxyStatus status();

    HoldResult hold(Duration max);

    ReleaseResult release();

    SwitchResult switchTo(String targetUri, Optional<Credentials> clientCredentials, UpstreamTrust trust);

    @Override
    void close();
}
