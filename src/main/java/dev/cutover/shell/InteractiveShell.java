package dev.cutover.shell;

import dev.cutover.ExitCode;
import dev.cutover.command.CommandRegistry;
import dev.cutover.command.ExitRequested;
import dev.cutover.command.Tokenizer;
import dev.cutover.script.ScriptEngine;
import dev.cutover.session.CutoverDirs;
import dev.cutover.session.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.Widget;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;

/**
 * The prompt: JLine line editing, completion, a one-line syntax hint as you type, history
 * without secrets. Ctrl-C cancels the line or the running step, never the shell; Ctrl-D leaves.
 */
public final class InteractiveShell {
    private final Terminal terminal;
    private final Session session;
    private final CommandRegistry registry;
    private final LineEvaluator evaluator;
    private final ScriptEngine scripts;
    private final StdConsole console;
    private final CutoverDirs dirs;

    public InteractiveShell(Terminal terminal, Session session, CommandRegistry registry, LineEvaluator evaluator,
                            ScriptEngine scripts, StdConsole console, CutoverDirs dirs) {
        this.terminal = terminal;
        this.session = session;
        this.registry = registry;
        this.evaluator = evaluator;
        this.scripts = scripts;
        this.console = console;
        this.dirs = dirs;
    }

    public LineReader newReader() {
        try {
            Files.createDirectories(dirs.config());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dirs.config(), e);
        }
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("cutover")
                .completer(new CommandCompleter(registry))
                .history(new SecretFilteringHistory())
                .variable(LineReader.HISTORY_FILE, dirs.historyFile())
                .variable(LineReader.HISTORY_SIZE, 2000)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .build();
        installHint(reader);
        return reader;
    }

    /** Shows a command's syntax, faint, after what is typed (JLine's tail tip). */
    private void installHint(LineReader reader) {
        if (!(reader instanceof LineReaderImpl impl)) {
            return;
        }
        impl.setAutosuggestion(LineReader.SuggestionType.TAIL_TIP);
        for (String name : new String[] {LineReader.SELF_INSERT, LineReader.BACKWARD_DELETE_CHAR,
                LineReader.ACCEPT_LINE, LineReader.COMPLETE_WORD, LineReader.EXPAND_OR_COMPLETE}) {
            Widget original = reader.getWidgets().get(name);
            if (original == null) {
                continue;
            }
            boolean accept = name.equals(LineReader.ACCEPT_LINE);
            reader.getWidgets().put(name, () -> {
                if (accept) {
                    impl.setTailTip(""); // the next prompt starts without the last command's hint
                    return original.apply();
                }
                boolean result = original.apply();
                impl.setTailTip(hint(reader.getBuffer().toString()));
                return result;
            });
        }
    }

    String hint(String buffer) {
        String first = Tokenizer.firstWord(buffer);
        if (first.isEmpty() || !registry.isCommand(first) || !buffer.contains(" ")) {
            return "";
        }
        return "  " + registry.synopsis(first);
    }

    public int run() {
        LineReader reader = newReader();
        console.attach(reader);
        Thread main = Thread.currentThread();
        terminal.handle(Terminal.Signal.INT, signal -> {
            scripts.interrupt();
            main.interrupt();
        });
        java.nio.file.Path rc = dirs.config().resolve("rc.js");
        if (java.nio.file.Files.isRegularFile(rc)) {
            // The operator's own start-up script (helpers, default connections); a failure is shown, not fatal.
            scripts.runFile(rc, java.util.Map.of());
        } else {
            Thread.ofVirtual().start(scripts::warmUp);
        }
        console.out().println("cutover — type 'help' for commands, Tab to complete, Ctrl-D to leave.");
        console.out().flush();
        int last = ExitCode.OK;
        try (StatusLine statusLine = new StatusLine(session, reader, terminal)) {
            statusLine.start();
            return loop(reader, last);
        }
    }

    private int loop(LineReader reader, int last) {
        while (true) {
            String line;
            try {
                line = reader.readLine(Prompt.ansi(session));
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                return last;
            }
            try {
                last = evaluator.evaluate(line);
            } catch (ExitRequested exit) {
                return exit.code();
            } finally {
                Thread.interrupted();
            }
        }
    }
}
