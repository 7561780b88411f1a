package dev.cutover.command;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** "Did you mean …": the closest known word within a small edit distance. */
public final class Suggestions {
    private Suggestions() {
    }

    public static Optional<String> closest(String typed, List<String> known) {
        if (typed.length() < 3) {
            return Optional.empty();
        }
        int limit = typed.length() <= 5 ? 1 : 2;
        return known.stream()
                .filter(k -> !k.equals(typed))
                .map(k -> new Object() { final String word = k; final int distance = distance(typed, k); })
                .filter(c -> c.distance <= limit)
                .min(Comparator.comparingInt(c -> c.distance))
                .map(c -> c.word);
    }

    /** Damerau-Levenshtein distance (adjacent transpositions count once). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
