package dev.cutover.command;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The running session opened to other operators (implemented by the share package). */
public interface Sharing {
    /** Opens the session on a Unix socket; returns the exact attach line to send to others. */
    String open(Optional<Path> socket);

    /** Opens the session on TCP with TLS and a token; returns the exact attach line. */
    String openTls(String listen);

    /** Participants as "name (mode)", the owner first. */
    List<String> who();

    boolean isOpen();
}
