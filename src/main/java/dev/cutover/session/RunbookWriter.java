package dev.cutover.session;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a journal into a script {@code cutover run} can execute again: every command that
 * succeeded becomes {@code cmd('…')}, in order. Endpoints can be replaced with --arg source=… /
 * target=… (the recorded address is the default), so the same runbook replays on other servers.
 * Passwords were never journaled: where one stood, the script asks for --arg source_password=….
 */
public final class RunbookWriter {
    private static final Pattern CONNECT = Pattern.compile("^connect\\s+(source|target)\\s+(\\S+)(.*)$");
    private static final Pattern MASKED = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)(?:([^\\s:@/]*):)?\\*\\*\\*@(.*)$");

    private RunbookWriter() {
    }

    public static String script(List<JournalEntry> entries) {
        StringBuilder body = new StringBuilder();
        java.util.Set<String> needed = new java.util.LinkedHashSet<>();
        for (JournalEntry e : entries) {
            String input = oneLine(e.input());
            if (e.exitCode() != 0 || input.startsWith("js")) {
                body.append("// skipped (").append(e.exitCode() != 0 ? "failed: " + oneLine(e.outcome()) : "a script's step")
                        .append("): ").append(input).append('\n');
                continue;
            }
            if (input.matches(".*\\s--(force|flush-target)\\b.*")) {
                body.append("// left out, decide again before replaying: ").append(input).append('\n');
                continue;
            }
            if (input.startsWith("run ") || input.contains("--dry-run")) {
                continue;
            }
            body.append("// ").append(oneLine(e.time())).append(" by ").append(oneLine(e.operator())).append('\n');
            Matcher connect = CONNECT.matcher(input);
            if (connect.matches()) {
                String role = connect.group(1);
                Matcher masked = MASKED.matcher(connect.group(2));
                String recorded = masked.matches()
                        ? masked.group(1) + (masked.group(2) == null || masked.group(2).isEmpty() ? "" : masked.group(2) + "@")
                        + masked.group(3)
                        : connect.group(2);
                if (masked.matches()) {
                    needed.add(role + "_password");
                }
                body.append("cmd('connect ").append(role).append(" ' + endpoint('").append(role).append("', ")
                        .append(js(recorded)).append(", ").append(masked.matches()).append(") + ")
                        .append(js(connect.group(3))).append(");\n");
            } else {
                body.append("cmd(").append(js(input)).append(");\n");
            }
        }
        StringBuilder sb = new StringBuilder("// Runbook written by 'journal --script' from a cutover session.\n");
        sb.append("// Replay: bin/cutover run runbook.js [--arg source=URI] [--arg target=URI]");
        needed.forEach(k -> sb.append(" --arg ").append(k).append("=…"));
        sb.append(" --yes   (add --dry-run to rehearse)\n");
        sb.append("""
                const need = (name) => {
                  if (args[name] === undefined) { print('missing --arg ' + name + '=…'); exit(2); }
                  return args[name];
                };
                const endpoint = (role, recorded, needsPassword) => {
                  const uri = args[role] || recorded;
                  if (!needsPassword) return uri;
                  const password = encodeURIComponent(need(role + '_password'));
                  const [scheme, rest] = uri.split('://');
                  const at = rest.lastIndexOf('@');
                  return at >= 0 ? scheme + '://' + rest.slice(0, at).split(':')[0] + ':' + password + rest.slice(at)
                                 : scheme + '://:' + password + '@' + rest;
                };
                """);
        return sb.append(body).toString();
    }

    private static String oneLine(String text) {
        return String.valueOf(text).replaceAll("[\\r\\n\\u2028\\u2029]+", " ");
    }

    private static String js(String s) {
        return "'" + oneLine(s).replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
