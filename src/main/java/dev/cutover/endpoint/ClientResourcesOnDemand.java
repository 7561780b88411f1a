package dev.cutover.endpoint;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Lettuce's event loops and timers, made at the first connection rather than at start-up: a
 * session that never connects (help, a prompt opened to read the journal) never pays for Netty.
 */
public final class ClientResourcesOnDemand implements Supplier<ClientResources> {
    private ClientResources resources;

    @Override
    public synchronized ClientResources get() {
        if (resources == null) {
            resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        }
        return resources;
    }

    /** Shuts them down if they were ever made. */
    public synchronized void shutdown() {
        if (resources != null) {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            resources = null;
        }
    }
}
