package dev.cutover.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

    @Test
    void splitsOnSemicolons() {
        assertEquals(List.of("connect source redis://a", "status"),
                LineSplitter.split("connect source redis://a; status"));
    }

    @Test
    void splitsOnNewlines() {
        assertEquals(List.of("connect source redis://a", "connect target redis://b", "status"),
                LineSplitter.split("connect source redis://a\nconnect target redis://b\r\nstatus\n"));
    }

    @Test
    void dropsBlanks() {
        assertEquals(List.of("a", "b", "c"), LineSplitter.split(" ;; a ;\n\n  b ; ;\n c ;"));
        assertEquals(List.of(), LineSplitter.split(""));
        assertEquals(List.of(), LineSplitter.split(" ; \n ;"));
    }

    @Test
    void keepsBracesWhole() {
        assertEquals(List.of("if (x) { a(); b(); }"), LineSplitter.split("if (x) { a(); b(); }"));
        assertEquals(List.of("if (x) { a(); b(); }", "status"),
                LineSplitter.split("if (x) { a(); b(); }; status"));
    }

    @Test
    void keepsMultiLineBlocksWhole() {
        String block = "for (const k of [1;2]) {\n  print(k);\n}";
        assertEquals(List.of(block, "status"), LineSplitter.split(block + "\nstatus"));
    }

    @Test
    void keepsParenthesesAndBracketsWhole() {
        assertEquals(List.of("f(a; b)", "g[1;2]"), LineSplitter.split("f(a; b); g[1;2]"));
    }

    @Test
    void quotesProtectSeparators() {
        assertEquals(List.of("echo \"a; b\"", "echo 'c\nd'", "echo `e;f`"),
                LineSplitter.split("echo \"a; b\"; echo 'c\nd'; echo `e;f`"));
    }

    @Test
    void escapedQuoteInsideQuotes() {
        assertEquals(List.of("print(\"a\\\";b\")", "status"),
                LineSplitter.split("print(\"a\\\";b\"); status"));
    }

    @Test
    void bracketsInsideQuotesDoNotCount() {
        assertEquals(List.of("echo \"(\"", "status"), LineSplitter.split("echo \"(\"; status"));
    }

    @Test
    void strayClosingBracketDoesNotGoNegative() {
        assertEquals(List.of(")", "a", "b"), LineSplitter.split("); a; b"));
    }
}
