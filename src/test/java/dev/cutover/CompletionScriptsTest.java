package dev.cutover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The checked-in completion scripts are exactly what the command definitions generate now. */
class CompletionScriptsTest {
    @ParameterizedTest
    @ValueSource(strings = {"bash", "zsh", "fish"})
    void checkedInScriptsMatchTheCommandDefinitions(String shell) throws Exception {
        String generated = CompletionScripts.generate(shell, Cli.commandLine(Map.of()));
        String checkedIn = Files.readString(Path.of("completions", "cutover." + shell));
        assertEquals(generated, checkedIn, "completions/cutover." + shell + " is stale: regenerate it with"
                + " 'bin/cutover completions " + shell + " > completions/cutover." + shell + "'");
    }

    @org.junit.jupiter.api.Test
    void unknownShellIsAUsageError() {
        assertThrows(CutoverException.Usage.class, () -> CompletionScripts.generate("tcsh", Cli.commandLine(Map.of())));
    }
}
