package dev.cutover.testing;

import dev.cutover.local.Flavour;
import dev.cutover.local.LocalServer;
import dev.cutover.local.ServerBinaries;
import dev.cutover.local.ServerSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts real servers for a test and stops them after it:
 * {@code @RegisterExtension final Servers servers = new Servers();} then
 * {@code servers.start(Flavour.VALKEY_9)}. A flavour that is not provisioned skips the test
 * with the reason on a developer's machine and fails it under CI ({@code CI=true}), where the
 * whole matrix must run.
 */
public final class Servers implements AfterEachCallback {
    private final List<LocalServer> started = new ArrayList<>();
    private final ServerBinaries binaries = new ServerBinaries(System.getenv());

    public LocalServer start(Flavour flavour) {
        return start(ServerSpec.of(flavour));
    }

    public LocalServer start(ServerSpec spec) {
        require(spec.flavour());
        LocalServer server = LocalServer.start(spec, binaries);
        synchronized (started) {
            started.add(server);
        }
        return server;
    }

    /** Skips (or under CI fails) the test when {@code flavour} is not provisioned. */
    public void require(Flavour flavour) {
        if (binaries.find(flavour) instanceof ServerBinaries.Lookup.Missing missing) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI runs the whole server matrix, but " + missing.reason());
            }
            Assumptions.abort(missing.reason());
        }
    }


    @Override
    public void afterEach(ExtensionContext context) {
        List<LocalServer> toStop;
        synchronized (started) {
            toStop = new ArrayList<>(started);
            started.clear();
        }
        toStop.forEach(LocalServer::close);
    }
}
