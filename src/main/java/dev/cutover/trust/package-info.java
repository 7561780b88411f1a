/**
 * What cutover listens on itself (the proxy's control endpoint, a shared session) and how it
 * makes them safe to reach: a self-signed TLS identity made at start, whose SHA-256 fingerprint
 * the listener prints, and the connecting side's trust in exactly that certificate; Unix sockets
 * that are their owner's alone from the moment they exist; lines read from a peer with a limit
 * and a deadline.
 */
package dev.cutover.trust;
