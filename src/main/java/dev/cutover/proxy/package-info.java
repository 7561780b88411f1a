/**
 * The RESP proxy: applications connect to it instead of the server, and it can hold their writes
 * and move every connection to another server without an error or a reconnect.
 *
 * <p>Entry points: {@link dev.cutover.proxy.ProxyServer} (start one in-process, or {@code cutover
 * proxy}), {@link dev.cutover.proxy.ProxyControl} (drive a running one from a session). The rest
 * is the engine: event loops ({@code EventLoop}) each owning client/upstream connection pairs
 * ({@code ClientPair}); the request side ({@code Dispatcher}, {@code RequestParser}) and the reply
 * side ({@code ReplyRouter}, {@code ReplyScanner}); the state a connection carries to a new
 * upstream ({@code ConnectionState}); hold and switch ({@code Coordinator}); TLS to a rediss:// or
 * valkeys:// upstream ({@code TlsLink}, trust from {@link dev.cutover.proxy.UpstreamTrust}; clients
 * still speak plain TCP to the proxy); tracking redirects that follow their connection across a
 * switch ({@code Redirects}).
 */
package dev.cutover.proxy;
