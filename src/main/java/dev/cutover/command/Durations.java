package dev.cutover.command;

import dev.cutover.CutoverException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Parses durations as operators write them: 500ms, 5s, 2m, 1h, or a plain number of seconds. */
public final class Durations implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern SHAPE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    public static Duration parse(String text) {
        Matcher m = SHAPE.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw CutoverException.usage("'" + text + "' is not a duration: write e.g. 500ms, 5s, 2m or 1h");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> amount;
            case "m" -> amount * 60_000;
            case "h" -> amount * 3_600_000;
            default -> amount * 1000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 59_950) {
            return (ms % 1000 == 0) ? (ms / 1000) + "s" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        return (ms / 60_000) + "m" + ((ms % 60_000) / 1000) + "s";
    }

    @Override
    public Duration convert(String value) {
        return parse(value);
    }
}
