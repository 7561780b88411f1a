package dev.cutover.share;

import dev.cutover.CutoverException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where {@code cutover attach} finds the credential the owner sent: a file only its reader can
 * read, an environment variable, or a prompt that does not echo. Never the command line, which
 * every user of the machine can read in the process list.
 */
public final class AttachToken {
    static final int MAX_BYTES = 1024;

    private AttachToken() {
    }

    public static String read(boolean onCommandLine, Path file, String variable, Map<String, String> env) {
        if (onCommandLine) {
            throw CutoverException.usage("a token on the command line is visible to every user in 'ps': put it in a file"
                    + " only you can read (--token-file) or a variable (--token-env)");
        }
        if (file != null && variable != null) {
            throw CutoverException.usage("give the credential once: --token-file or --token-env, not both");
        }
        if (file != null) {
            return fromFile(file);
        }
        if (variable != null) {
            String value = env.get(variable);
            if (value == null || value.isBlank()) {
                throw CutoverException.usage("the variable " + variable + " named by --token-env is not set:"
                        + " export it with the credential the owner sent");
            }
            return value.strip();
        }
        java.io.Console console = System.console();
        if (console == null) {
            throw CutoverException.usage("attach needs the credential the owner sent: --token-file FILE or --token-env VAR");
        }
        char[] typed = console.readPassword("credential from the owner: ");
        if (typed == null || typed.length == 0) {
            throw CutoverException.usage("no credential typed: attach needs the one the owner sent");
        }
        return new String(typed).strip();
    }

    private static String fromFile(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw CutoverException.usage("the token file " + file + " does not exist: save the credential the owner sent there");
            }
            int mode = (Integer) Files.getAttribute(file, "unix:mode");
            if ((mode & 0077) != 0) {
                throw CutoverException.precondition("the token file " + file + " can be read by others (mode "
                        + Integer.toOctalString(mode & 0777) + "): run 'chmod 600 " + file + "' and ask the owner for a new credential");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw CutoverException.usage("the token file " + file + " is not a credential (over " + MAX_BYTES + " bytes)");
            }
            String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (token.isEmpty()) {
                throw CutoverException.usage("the token file " + file + " is empty: save the credential the owner sent there");
            }
            return token;
        } catch (IOException e) {
            throw CutoverException.usage("cannot read the token file " + file + ": " + e.getMessage());
        }
    }
}
