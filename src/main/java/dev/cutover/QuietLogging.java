package dev.cutover;

import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Netty and Lettuce log through java.util.logging (Netty skips slf4j's no-op binding): nothing of
 * theirs reaches the operator's screen unless --debug asks for it. Named as the logging
 * configuration class, so it runs when a library first logs, not at every start-up.
 */
public final class QuietLogging {
    static final String DEBUG = "cutover.debug.logging";

    public QuietLogging() {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        boolean debug = Boolean.getBoolean(DEBUG);
        root.setLevel(debug ? Level.WARNING : Level.OFF);
        if (debug) {
            ConsoleHandler handler = new ConsoleHandler();
            handler.setLevel(Level.WARNING);
            root.addHandler(handler);
        }
    }

    /** Makes it the configuration of java.util.logging from its first use on. */
    static void install(boolean debug) {
        System.setProperty(DEBUG, Boolean.toString(debug));
        System.setProperty("java.util.logging.config.class", QuietLogging.class.getName());
    }
}
