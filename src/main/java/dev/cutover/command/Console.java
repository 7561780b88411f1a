package dev.cutover.command;

import java.io.PrintWriter;
import java.util.Optional;

/** Where commands write and how they ask the operator something. */
public interface Console {
    PrintWriter out();

    PrintWriter err();

    /** A person at a terminal: prompts, colours, questions and progress are allowed. */
    boolean interactive();

    /** --json: one JSON object per result, nothing else on stdout. */
    boolean json();

    /** --debug: stack traces with errors. */
    boolean debug();

    /** --yes: dangerous steps go ahead without asking. */
    boolean assumeYes();

    /** Asks a yes/no question on a terminal; without one, answers {@link #assumeYes()}. */
    boolean confirm(String question);

    /** Reads a secret without echo, or empty when there is no terminal. */
    Optional<char[]> readSecret(String prompt);

    /** An environment variable (a seam so tests need not change the process environment). */
    Optional<String> env(String name);
}
