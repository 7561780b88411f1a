package dev.cutover.proxy;

/** Bytes that are not RESP: from a client it gets the server's own "Protocol error" reply and a close. */
final class RespProtocolException extends RuntimeException {
    RespProtocolException(String message) {
        super(message, null, false, false);
    }
}
