package dev.cutover;

/** Anything that ends a step with a known exit code. */
public interface ExitCoded {
    int exitCode();
}
