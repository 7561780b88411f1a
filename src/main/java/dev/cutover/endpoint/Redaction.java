package dev.cutover.endpoint;

import java.util.regex.Pattern;

/** Removes passwords from text an operator typed before it reaches a screen, log or journal. */
public final class Redaction {
    // scheme://user:password@ or scheme://password@, any scheme; up to the token's last '@'.
    private static final Pattern URI_PASSWORD = Pattern.compile(
            "(?i)\\b([A-Za-z][A-Za-z0-9+.-]*://)([^\\s'\"`]*)@");
    private static final Pattern PASSWORD_OPTION = Pattern.compile(
            "(?i)(--(?:password|pass|auth|masterauth|requirepass|token)(?:=|\\s+))(\"[^\"]*\"|'[^']*'|\\S+)");
    // --arg NAME=VALUE where the name says it is a secret (source_password, api_token, ...).
    private static final Pattern SECRET_ARG = Pattern.compile(
            "(?i)(--arg(?:=|\\s+)['\"]?[\\w.-]*(?:pass|secret|token|auth|credential|key)[\\w.-]*=)([^\\s'\"]*)");
    // CONFIG SET requirepass/masterauth VALUE, in a command line or a call('CONFIG','SET',…)
    private static final Pattern CONFIG_SECRET = Pattern.compile(
            "(?i)((?:requirepass|masterauth)['\"]?(?:\\s*,\\s*|\\s+)['\"]?)([^\\s'\",)]+)");
    // ACL SETUSER … >password / #sha256
    private static final Pattern ACL_PASSWORD = Pattern.compile("(?i)(?<=[\\s'\"])([>#<!])[^\\s'\",)]+");
    // AUTH2 user password (MIGRATE)
    private static final Pattern AUTH2 = Pattern.compile(
            "(?i)(AUTH2['\"]?(?:\\s*,\\s*|\\s+)['\"]?[^\\s'\",]+['\"]?(?:\\s*,\\s*|\\s+)['\"]?)([^\\s'\",)]+)");
    // AUTH as a word of its own (a command or a call argument), followed by its arguments.
    private static final Pattern AUTH_COMMAND = Pattern.compile(
            "(?i)((?:^|['\"\\s(,])AUTH['\"]?(?:\\s*,\\s*|\\s+))(\\S.*)$");

    private Redaction() {
    }

    public static String uri(String text) {
        return URI_PASSWORD.matcher(text).replaceAll(m -> {
            String userinfo = m.group(2);
            int colon = userinfo.indexOf(':');
            String masked = colon >= 0 ? userinfo.substring(0, colon) + ":***" : (userinfo.isEmpty() ? "" : "***");
            return java.util.regex.Matcher.quoteReplacement(m.group(1) + masked + "@");
        });
    }

    /** Text safe to echo in an error about a malformed URI: whatever precedes the last '@' is masked. */
    public static String echo(String text) {
        if (text.contains("://")) {
            return uri(text);
        }
        int at = text.lastIndexOf('@');
        return at < 0 ? text : "***" + text.substring(at);
    }

    /** Redacts URIs with passwords, password options and AUTH arguments in a whole line. */
    public static String line(String text) {
        String out = uri(text);
        out = PASSWORD_OPTION.matcher(out).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) + "***"));
        out = SECRET_ARG.matcher(out).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) + "***"));
        out = CONFIG_SECRET.matcher(out).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) + "***"));
        out = AUTH2.matcher(out).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) + "***"));
        if (out.toUpperCase(java.util.Locale.ROOT).contains("SETUSER")) {
            out = ACL_PASSWORD.matcher(out).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) + "***"));
        }
        out = AUTH_COMMAND.matcher(out).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1) + "***"));
        return out;
    }

    /** True when the line carries a secret and so must not be written to history. */
    public static boolean carriesSecret(String text) {
        return !line(text).equals(text);
    }
}
