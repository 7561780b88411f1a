package dev.cutover.session;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where cutover keeps its files: history under the config dir, journals under the state dir.
 * {@code CUTOVER_HOME} puts both under one directory (tests use it); otherwise the XDG dirs.
 */
public record CutoverDirs(Path config, Path state) {

    public static CutoverDirs fromEnvironment(Map<String, String> env) {
        String home = env.get("CUTOVER_HOME");
        if (home != null && !home.isBlank()) {
            Path base = Path.of(home);
            return new CutoverDirs(base.resolve("config"), base.resolve("state"));
        }
        Path user = Path.of(System.getProperty("user.home"));
        Path config = xdg(env, "XDG_CONFIG_HOME", user.resolve(".config"));
        Path state = xdg(env, "XDG_STATE_HOME", user.resolve(".local").resolve("state"));
        return new CutoverDirs(config.resolve("cutover"), state.resolve("cutover"));
    }

    private static Path xdg(Map<String, String> env, String name, Path fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : Path.of(value);
    }

    public Path historyFile() {
        return config.resolve("history");
    }

    public Path journalDir() {
        return state.resolve("journal");
    }
}
