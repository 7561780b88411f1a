package dev.cutover.command;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The running session opened to other operators (implemented by the share package). */
public interface Sharing {
    /** Opens the session on a Unix socket; returns what to send to others (attach lines, credential files). */
    String open(Optional<Path> socket);

    /** Opens the session on TCP with TLS; returns what to send to others. */
    String openTls(String listen);

    /** Issues a credential of a person's own; returns its attach lines. Owner only. */
    String invite(String holder, boolean observer);

    /** Removes a participant (by name, #number or credential): their identity can no longer run, approve or attach. */
    String remove(String who);

    /** Makes a participant an operator or an observer, at once. Owner only. */
    String setRole(String who, boolean operator);

    /** Participants with role and identity, the owner first. */
    List<String> who();

    boolean isOpen();
}
