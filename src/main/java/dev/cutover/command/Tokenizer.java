package dev.cutover.command;

import dev.cutover.CutoverException;
import java.util.ArrayList;
import java.util.List;

/** Splits a command line into words the way a POSIX shell does: quotes and backslashes. */
public final class Tokenizer {
    private Tokenizer() {
    }

    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw CutoverException.usage("unterminated " + (quote == '"' ? "double" : "single") + " quote");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** The first word of a line, or "" — enough to decide whether a line is a command. */
    public static String firstWord(String line) {
        String s = line.strip();
        int end = 0;
        while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
            end++;
        }
        return s.substring(0, end);
    }
}
