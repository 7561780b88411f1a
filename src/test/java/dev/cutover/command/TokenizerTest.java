package dev.cutover.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cutover.CutoverException;
import dev.cutover.ExitCode;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerTest {

    @Test
    void splitsOnWhitespace() {
        assertEquals(List.of("connect", "source", "redis://h:6379"),
                Tokenizer.split("  connect \t source   redis://h:6379  "));
    }

    @Test
    void emptyAndBlankLines() {
        assertEquals(List.of(), Tokenizer.split(""));
        assertEquals(List.of(), Tokenizer.split("   \t "));
    }

    @Test
    void doubleAndSingleQuotes() {
        assertEquals(List.of("echo", "two words", "it's here"),
                Tokenizer.split("echo \"two words\" \"it's here\""));
        assertEquals(List.of("echo", "say \"hi\""), Tokenizer.split("echo 'say \"hi\"'"));
    }

    @Test
    void quotesJoinAdjacentText() {
        assertEquals(List.of("--name=a b"), Tokenizer.split("--name=\"a b\""));
        assertEquals(List.of("abcd"), Tokenizer.split("a'b'\"c\"d"));
    }

    @Test
    void emptyQuotesMakeAnEmptyWord() {
        assertEquals(List.of("a", "", "b"), Tokenizer.split("a \"\" b"));
        assertEquals(List.of(""), Tokenizer.split("''"));
    }

    @Test
    void backslashEscapes() {
        assertEquals(List.of("a b", "c"), Tokenizer.split("a\\ b c"));
        assertEquals(List.of("say \"x\""), Tokenizer.split("\"say \\\"x\\\"\""));
        assertEquals(List.of("a\\b"), Tokenizer.split("\"a\\\\b\""));
        // Inside single quotes a backslash is literal.
        assertEquals(List.of("a\\nb"), Tokenizer.split("'a\\nb'"));
        // A trailing backslash stays.
        assertEquals(List.of("end\\"), Tokenizer.split("end\\"));
    }

    @Test
    void unterminatedDoubleQuote() {
        CutoverException.Usage e = assertThrows(CutoverException.Usage.class,
                () -> Tokenizer.split("echo \"abc"));
        assertEquals("unterminated double quote", e.getMessage());
        assertEquals(ExitCode.USAGE, e.exitCode());
    }

    @Test
    void unterminatedSingleQuote() {
        CutoverException.Usage e = assertThrows(CutoverException.Usage.class,
                () -> Tokenizer.split("echo 'abc \"def\""));
        assertEquals("unterminated single quote", e.getMessage());
    }

    @Test
    void firstWord() {
        assertEquals("connect", Tokenizer.firstWord("  connect source redis://h"));
        assertEquals("status", Tokenizer.firstWord("status"));
        assertEquals("", Tokenizer.firstWord("   "));
        assertEquals("", Tokenizer.firstWord(""));
    }
}
