package dev.cutover.proxy;

/**
 * How the upstream frames requests where servers differ, learnt by asking it (see
 * {@link RespClient#dialect}) so the proxy frames them exactly as it does:
 *
 * @param joinQuotes Valkey 9 joins a closing quote to what follows it in an inline argument, as a
 *                   shell does ({@code "SE"T} is SET); Redis and older Valkey refuse it as unbalanced quotes
 * @param checkCrlf  Valkey 9 refuses a bulk payload not followed by CRLF; Redis skips those two bytes unread
 */
record Dialect(boolean joinQuotes, boolean checkCrlf) {
    /** Redis's (and Valkey 8's) rules: what the proxy assumes until the upstream has answered. */
    static final Dialect REDIS = new Dialect(false, false);
}
