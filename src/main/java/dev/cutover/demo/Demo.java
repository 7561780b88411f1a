package dev.cutover.demo;

import dev.cutover.ExitCode;
import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.local.ServerBinaries;
import dev.cutover.local.ServerSpec;
import dev.cutover.shell.ShellRuntime;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code cutover demo}: starts a source and a target on free loopback ports, fills the source
 * with a little data, and drives the session through the same lines an operator would type.
 */
public final class Demo {
    private final ShellRuntime runtime;
    private final ServerBinaries binaries;

    public Demo(ShellRuntime runtime, ServerBinaries binaries) {
        this.runtime = runtime;
        this.binaries = binaries;
    }

    public int run() {
        PrintWriter out = runtime.console().out();
        Flavour sourceFlavour = pick(Flavour.REDIS_7, Flavour.REDIS_8, Flavour.VALKEY_8, Flavour.VALKEY_9);
        if (sourceFlavour == null) {
            runtime.console().err().println("error: no Redis or Valkey server found: run scripts/provision-servers.sh"
                    + " (or apt-get install redis-server)");
            runtime.console().err().flush();
            return ExitCode.PRECONDITION;
        }
        Flavour targetFlavour = binaries.find(Flavour.VALKEY_9) instanceof ServerBinaries.Lookup.Found
                ? Flavour.VALKEY_9 : sourceFlavour;
        if (targetFlavour != Flavour.VALKEY_9) {
            say(out, "Valkey 9.1 is not provisioned, so this demo moves " + sourceFlavour.display() + " to "
                    + targetFlavour.display() + "; for the Redis → Valkey migration most operators come for, run"
                    + " 'CUTOVER_SERVERS=valkey9 scripts/provision-servers.sh' first.");
        }
        say(out, "starting a " + sourceFlavour.display() + " source and a " + targetFlavour.display() + " target on loopback");
        try (LocalServer source = LocalServer.start(ServerSpec.of(sourceFlavour), binaries);
             LocalServer target = LocalServer.start(ServerSpec.of(targetFlavour), binaries)) {
            List<String> lines = List.of(
                    "connect source " + source.uri(),
                    "connect target " + target.uri(),
                    "for (let i = 0; i < 1000; i++) source.call('SET', 'demo:key:' + i, 'value ' + i)",
                    "source.call('HSET', 'demo:user:1', 'name', 'Ada', 'role', 'operator')",
                    "source.call('RPUSH', 'demo:queue', 'a', 'b', 'c')",
                    "status",
                    "journal -n 5",
                    "disconnect source",
                    "disconnect target");
            for (String line : lines) {
                out.println();
                out.println("cutover> " + line);
                out.flush();
                int code = runtime.evaluator().evaluate(line);
                if (code != ExitCode.OK) {
                    return code;
                }
            }
            out.println();
            say(out, "both servers stop now; nothing outside their temp dirs was touched.");
            return ExitCode.OK;
        } catch (IllegalStateException e) {
            runtime.console().err().println("error: " + e.getMessage());
            runtime.console().err().flush();
            return ExitCode.STEP_FAILED;
        }
    }

    private Flavour pick(Flavour... preferred) {
        for (Flavour f : preferred) {
            if (binaries.find(f) instanceof ServerBinaries.Lookup.Found) {
                return f;
            }
        }
        return null;
    }

    private static void say(PrintWriter out, String text) {
        out.println("demo: " + text);
        out.flush();
    }
}
