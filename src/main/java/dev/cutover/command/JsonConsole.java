package dev.cutover.command;

import java.io.PrintWriter;
import java.util.Optional;

/** A console seen through a line's own --json: everything as the console, but json() is true. */
record JsonConsole(Console inner) implements Console {
    @Override
    public PrintWriter out() {
        return inner.out();
    }

    @Override
    public PrintWriter err() {
        return inner.err();
    }

    @Override
    public boolean interactive() {
        return inner.interactive();
    }

    @Override
    public boolean json() {
        return true;
    }

    @Override
    public boolean debug() {
        return inner.debug();
    }

    @Override
    public boolean assumeYes() {
        return inner.assumeYes();
    }

    @Override
    public boolean confirm(String question) {
        return inner.confirm(question);
    }

    @Override
    public Optional<char[]> readSecret(String prompt) {
        return inner.readSecret(prompt);
    }

    @Override
    public Optional<String> env(String name) {
        return inner.env(name);
    }
}
