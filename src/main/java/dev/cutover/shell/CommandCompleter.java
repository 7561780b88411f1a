package dev.cutover.shell;

import dev.cutover.command.CommandRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jline.builtins.Completers;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Completes from the same picocli definitions that parse the commands: command names, options,
 * and option or parameter values (declared candidates such as roles, or file paths).
 */
public final class CommandCompleter implements Completer {
    private final CommandRegistry registry;
    private final Completer files = new Completers.FileNameCompleter();

    public CommandCompleter(CommandRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        int index = line.wordIndex();
        if (index == 0) {
            for (String name : registry.names()) {
                candidates.add(new Candidate(name, name, null, summary(name), null, null, true));
            }
            return;
        }
        Optional<CommandRegistry.Entry> entry = registry.find(words.getFirst());
        if (entry.isEmpty()) {
            return;
        }
        CommandSpec spec = entry.get().spec();
        String previous = words.get(index - 1);
        OptionSpec pending = spec.findOption(previous);
        if (pending != null && pending.arity().max() > 0 && !previous.contains("=")) {
            values(pending, reader, line, candidates);
            return;
        }
        String current = line.word();
        if (current.startsWith("-")) {
            for (OptionSpec option : spec.options()) {
                for (String name : option.names()) {
                    if (name.startsWith("--")) {
                        String description = option.description().length > 0 ? option.description()[0] : null;
                        candidates.add(new Candidate(name, name, null, description, null, null, true));
                    }
                }
            }
            candidates.add(new Candidate("--json", "--json", null, "print one JSON object", null, null, true));
            return;
        }
        int position = positionalIndex(spec, words.subList(1, index));
        for (PositionalParamSpec positional : spec.positionalParameters()) {
            if (positional.index().contains(position)) {
                values(positional, reader, line, candidates);
            }
        }
    }

    private void values(ArgSpec arg, LineReader reader, ParsedLine line, List<Candidate> candidates) {
        if (arg.completionCandidates() != null) {
            for (String value : arg.completionCandidates()) {
                candidates.add(new Candidate(value));
            }
        } else if (arg.type() == Path.class) {
            files.complete(reader, line, candidates);
        }
    }

    /** Which positional parameter the next word is, skipping options and their values. */
    private static int positionalIndex(CommandSpec spec, List<String> before) {
        int position = 0;
        for (int i = 0; i < before.size(); i++) {
            String word = before.get(i);
            OptionSpec option = spec.findOption(word);
            if (option != null) {
                if (option.arity().max() > 0 && !word.contains("=")) {
                    i++;
                }
            } else if (!word.startsWith("-")) {
                position++;
            }
        }
        return position;
    }

    private String summary(String name) {
        return registry.find(name).map(CommandRegistry.Entry::summary).orElse(null);
    }
}
