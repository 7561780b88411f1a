package dev.cutover.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits {@code cutover -c "a; b"} into lines at semicolons and newlines that stand outside
 * quotes and brackets, so {@code -c "connect source redis://a; status"} runs two lines while
 * {@code -c "if (x) { a(); b(); }"} stays one.
 */
final class LineSplitter {
    private LineSplitter() {
    }

    static List<String> split(String text) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                current.append(c);
                if (c == '\\' && i + 1 < text.length()) {
                    current.append(text.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            switch (c) {
                case '\'', '"', '`' -> quote = c;
                case '(', '[', '{' -> depth++;
                case ')', ']', '}' -> depth = Math.max(0, depth - 1);
                default -> { }
            }
            if ((c == ';' || c == '\n') && depth == 0) {
                add(lines, current);
            } else {
                current.append(c);
            }
        }
        add(lines, current);
        return lines;
    }

    private static void add(List<String> lines, StringBuilder current) {
        String line = current.toString().strip();
        if (!line.isEmpty()) {
            lines.add(line);
        }
        current.setLength(0);
    }
}
