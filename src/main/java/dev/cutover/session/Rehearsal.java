package dev.cutover.session;

import dev.cutover.CutoverException;
import dev.cutover.endpoint.Capability;
import dev.cutover.endpoint.CapabilityCheck;
import dev.cutover.endpoint.Endpoint;
import dev.cutover.endpoint.EndpointUri;
import dev.cutover.endpoint.Role;
import dev.cutover.endpoint.ServerInfo;
import dev.cutover.freeze.FreezeReport;
import dev.cutover.replication.CheckItem;
import dev.cutover.replication.CheckReport;
import dev.cutover.replication.Lag;
import dev.cutover.replication.NativeCompatibility;
import dev.cutover.replication.NativePrediction;
import dev.cutover.replication.ReplicateOptions;
import dev.cutover.route.HaproxyRuntime;
import dev.cutover.route.RepointOutcome;
import dev.cutover.route.RepointVia;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A dry run: each primitive checks its preconditions against the live servers, says what it
 * would do, and changes nothing. The steps it "did" are carried as a simulated state, so that a
 * whole runbook can be rehearsed: the repoint after a rehearsed freeze is checked as if frozen.
 */
final class Rehearsal {
    private final Migration.Endpoints endpoints;
    private final Migration live;
    private final Consumer<String> say;
    private boolean linked;
    private boolean frozen;
    private boolean repointed;
    private CheckReport lastCheck;

    Rehearsal(Migration.Endpoints endpoints, Migration live, Consumer<String> say) {
        this.endpoints = endpoints;
        this.live = live;
        this.say = line -> say.accept("dry-run: " + line);
    }

    private boolean hasLink() {
        return linked || live.link().isPresent();
    }

    private boolean isFrozen() {
        return frozen || live.state(true) instanceof SessionState.Frozen || live.state(true) instanceof SessionState.Repointed;
    }

    String stateLabel() {
        if (repointed) {
            return "repointed (dry run)";
        }
        if (frozen) {
            return "frozen (dry run)";
        }
        return linked ? "streaming (dry run)" : live.state(true).label();
    }

    CheckReport replicate(ReplicateOptions options) {
        if (hasLink()) {
            throw CutoverException.precondition("replication is already running: run 'stop' before starting it again");
        }
        CheckReport report = live.check(options);
        if (!report.passed()) {
            throw CutoverException.precondition("check failed, nothing would be changed: "
                    + report.failures().stream().map(CheckItem::sentence).collect(Collectors.joining("; ")));
        }
        if (report.chosenMode() == ReplicateOptions.Mode.SCAN) {
            say.accept("would turn on keyspace events on the source where needed (restored at stop), copy every key"
                    + " with SCAN + DUMP → RESTORE and follow the changes (scan: " + report.why() + ")");
            linked = true;
            lastCheck = report;
            return report;
        }
        if (report.chosenMode() == ReplicateOptions.Mode.PSYNC) {
            long keys = ServerInfo.parse(endpoints.endpoint(Role.TARGET).info("keyspace")).totalKeys();
            if (keys > 0 && !options.resume()) {
                say.accept("would FLUSHALL the target's " + keys + " keys first (--flush-target)");
            }
            say.accept("would " + (options.resume() ? "continue from the psync checkpoint with a partial resync"
                    : "replicate the source itself (PSYNC), writing every key into the target")
                    + " (psync: " + report.why() + ") and wait for the link to stream");
            linked = true;
            lastCheck = report;
            return report;
        }
        EndpointUri source = endpoints.endpoint(Role.SOURCE).uri();
        String address = options.sourceAddress().orElse(source.host() + ":" + source.port());
        if (source.password().isPresent()) {
            say.accept("would set masterauth" + (source.user().isPresent() ? " and masteruser" : "")
                    + " on the target (restored at stop)");
        }
        if (report.wayThere() instanceof NativePrediction.NeedsRelaxed) {
            say.accept("would set rdb-version-check relaxed on the target (restored at stop)");
        }
        long keys = ServerInfo.parse(endpoints.endpoint(Role.TARGET).info("keyspace")).totalKeys();
        if (keys > 0) {
            say.accept("the full sync would replace the target's " + keys + " keys (--flush-target)");
        }
        say.accept("would run REPLICAOF " + address.replace(":", " ") + " on the target (native: "
                + report.wayThere().reason() + ") and wait for the link to stream");
        linked = true;
        lastCheck = report;
        return report;
    }

    Lag lag() {
        if (live.link().isPresent()) {
            return live.lag();
        }
        if (!linked) {
            throw CutoverException.precondition("no replication is running: run 'replicate' first");
        }
        Map<String, Long> source = keys(Role.SOURCE);
        return new Lag(0, 0, 0, 0, stateLabel(), "up (dry run)", source, source, 0, false, "", "");
    }

    Lag waitLag(long maxBytes, Duration timeout) {
        Lag lag = lag();
        say.accept("would wait up to " + format(timeout) + " until the target is at most " + maxBytes
                + " bytes behind" + (linked ? "" : " (now " + lag.bytes() + ")"));
        return lag;
    }

    FreezeReport freezeWrites(Duration max, Duration lease) {
        if (isFrozen()) {
            throw CutoverException.precondition("writes are already frozen");
        }
        if (lease.toMillis() < 200 || lease.compareTo(max) > 0) {
            throw CutoverException.usage("--lease must be at least 200ms and at most --max");
        }
        CapabilityCheck pause = endpoints.probe(Role.SOURCE).capability(Capability.CLIENT_PAUSE_WRITE);
        if (pause.status() == CapabilityCheck.Status.NO) {
            throw CutoverException.precondition("the source refused CLIENT PAUSE WRITE (" + pause.detail()
                    + "): freeze through the proxy instead (--via proxy) or hold writes in the applications");
        }
        long offset = Long.parseLong(endpoints.endpoint(Role.SOURCE).infoFields("replication")
                .getOrDefault("master_repl_offset", "0"));
        say.accept("would pause writes on the source (CLIENT PAUSE " + lease.toMillis() + " WRITE, renewed every "
                + format(lease.dividedBy(2)) + ", at most " + format(max)
                + ") and wait for the target to apply the frozen offset (about " + offset + " now)");
        frozen = true;
        return new FreezeReport(offset, hasLink() ? Duration.ZERO : null, hasLink() ? 0 : -1, lease, max);
    }

    Duration unfreeze(boolean force) {
        if (!isFrozen()) {
            throw CutoverException.precondition("writes are not frozen");
        }
        if (repointed && !force) {
            throw CutoverException.precondition("clients were repointed to the target: reopening the source now"
                    + " would split writes between two primaries. Run 'stop --demote-source', or unfreeze --force");
        }
        say.accept("would let writes on the source resume (CLIENT UNPAUSE)");
        frozen = false;
        repointed = false;
        return Duration.ZERO;
    }

    RepointOutcome repoint(RepointVia via, boolean force) {
        List<String> missing = new ArrayList<>();
        if (!hasLink()) {
            missing.add("replication is not running");
        }
        if (!isFrozen()) {
            missing.add("writes are not frozen (run freeze-writes)");
        }
        if (!missing.isEmpty() && !force) {
            throw CutoverException.precondition("repoint refused, clients would not be moved: " + String.join("; ", missing)
                    + ". Writes made now would be lost; --force overrides");
        }
        EndpointUri target = endpoints.endpoint(Role.TARGET).uri();
        switch (via) {
            case RepointVia.Exec exec -> {
                checkShellSyntax(exec.command());
                say.accept("would check that the target applied exactly the frozen offset, then run: " + exec.command()
                        + " (with CUTOVER_TARGET_URI=" + target.withoutPassword() + ")");
            }
            case RepointVia.Haproxy haproxy -> {
                String state = new HaproxyRuntime(haproxy.socket()).send("show servers state " + haproxy.backend());
                if (state.lines().noneMatch(l -> List.of(l.split(" ")).contains(haproxy.server()))) {
                    throw CutoverException.precondition("HAProxy has no server " + haproxy.backend() + "/"
                            + haproxy.server() + " (it said: " + state.lines().findFirst().orElse("") + ")");
                }
                say.accept("would run 'set server " + haproxy.backend() + "/" + haproxy.server() + " addr "
                        + target.host() + " port " + target.port() + "' and close the old sessions");
            }
            case RepointVia.Proxy proxy -> {
                String proxyNow = endpoints.proxy().map(p -> ProxyStatusText.of(p.proxy().status())).orElseThrow(() ->
                        CutoverException.precondition("no cutover proxy in this session: 'connect proxy' or"
                                + " 'proxy start' first"));
                say.accept("would check that the target applied exactly the frozen offset, promote a native target,"
                        + " then move the proxy's clients to " + target.redacted() + " and release the held writes there"
                        + " (proxy now: " + proxyNow + ")");
            }
        }
        repointed = true;
        return new RepointOutcome("dry run: clients were not moved", "");
    }

    StopSummary stop(boolean demoteSource) {
        if (!hasLink()) {
            throw CutoverException.precondition("no replication is running: run 'replicate' first");
        }
        if (demoteSource && !repointed && !(live.state(true) instanceof SessionState.Repointed)) {
            throw CutoverException.precondition("--demote-source is for after a repoint: clients still use the source");
        }
        say.accept("would run REPLICAOF NO ONE on the target and restore the configs cutover changed there");
        String after = "unchanged";
        if (demoteSource) {
            Endpoint source = endpoints.endpoint(Role.SOURCE);
            Endpoint target = endpoints.endpoint(Role.TARGET);
            ServerInfo src = source.serverInfo();
            ServerInfo tgt = target.serverInfo();
            NativePrediction back = NativeCompatibility.predict(tgt.version(), src.version(), tgt.totalSubexpiry(),
                    NativeCompatibility.dataModules(tgt));
            after = back instanceof NativePrediction.Works
                    ? "would make the old source a replica of the target, then unpause it"
                    : "would make the old source refuse writes (min-replicas-to-write), then unpause it: " + back.reason();
            say.accept(after);
        }
        linked = false;
        frozen = frozen && !demoteSource;
        repointed = false;
        return new StopSummary(Duration.ZERO, Duration.ZERO, 0, keys(Role.TARGET), List.of(), 0, frozen, after, "");
    }

    /**
     * In a dry run, reads pass through; anything that writes or administers is only described.
     * Container commands (CONFIG, CLIENT, ACL …) are judged by their subcommand; a command whose
     * flags cannot be read counts as a write.
     */
    Object call(Endpoint endpoint, List<String> args) {
        if (dev.cutover.endpoint.CommandEffect.changesServer(endpoint, args)) {
            say.accept("would send " + dev.cutover.endpoint.Redaction.line(String.join(" ", args)) + " to the "
                    + endpoint.role().label());
            return null;
        }
        return endpoint.call(args);
    }

    private Map<String, Long> keys(Role role) {
        Map<String, Long> keys = new LinkedHashMap<>();
        ServerInfo.parse(endpoints.endpoint(role).info("keyspace")).keyspace().values()
                .forEach(d -> keys.put("db" + d.db(), d.keys()));
        return keys;
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static void checkShellSyntax(String command) {
        try {
            Process p = new ProcessBuilder("sh", "-n", "-c", command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                throw CutoverException.usage("the repoint command is not valid shell: " + out);
            }
        } catch (java.io.IOException e) {
            throw CutoverException.failed("cannot check the repoint command: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CutoverException.Interrupted("interrupted");
        }
    }
}
