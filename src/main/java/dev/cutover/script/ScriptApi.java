package dev.cutover.script;

import dev.cutover.CutoverException;
import dev.cutover.command.Console;
import dev.cutover.command.CheckRendering;
import dev.cutover.command.Durations;
import dev.cutover.command.Freezing;
import dev.cutover.command.RepointCommand;
import dev.cutover.command.Replicating;
import dev.cutover.command.Stopping;
import dev.cutover.replication.ProgressListener;
import dev.cutover.replication.ReplicateOptions;
import dev.cutover.endpoint.ConnectOptions;
import dev.cutover.endpoint.EndpointUri;
import dev.cutover.endpoint.Role;
import dev.cutover.endpoint.Secret;
import dev.cutover.session.Session;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.Value;

/**
 * The only host object a script can reach. Each method calls the same session primitive the
 * shell's command calls; the prelude wraps these in the friendlier global functions.
 */
public final class ScriptApi {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final Session session;
    private final Console console;
    private final java.util.function.ToIntFunction<String> commands;

    ScriptApi(Session session, Console console, java.util.function.ToIntFunction<String> commands) {
        this.session = session;
        this.console = console;
        this.commands = commands;
    }

    /** Runs one shell command line, exactly as typed at the prompt; a failure ends the script with its code. */
    @HostAccess.Export
    public void cmd(String line) {
        int code = commands.applyAsInt(line);
        if (code != 0) {
            throw new ScriptExit(code);
        }
    }

    @HostAccess.Export
    public Object connect(String role, String uri, Value options) {
        Map<String, Object> o = GuestValues.options(options);
        if (role.equals("proxy")) {
            Optional<Secret> token = Optional.ofNullable(o.get("tokenEnv")).map(v -> Secret.of(console.env(v.toString())
                    .orElseThrow(() -> CutoverException.usage("environment variable " + v + " (tokenEnv) is not set"))));
            Optional<String> fingerprint = Optional.ofNullable(o.get("fingerprint")).map(Object::toString);
            return journaled("connect proxy " + uri, () -> session.attachProxy(uri, token, fingerprint));
        }
        Optional<Secret> password = Optional.empty();
        if (o.get("passwordEnv") != null) {
            String var = o.get("passwordEnv").toString();
            password = Optional.of(Secret.of(console.env(var).orElseThrow(() ->
                    CutoverException.usage("environment variable " + var + " (passwordEnv) is not set"))));
        }
        ConnectOptions connectOptions = new ConnectOptions(
                Optional.ofNullable(o.get("user")).map(Object::toString), password,
                Optional.ofNullable(o.get("cacert")).map(c -> Path.of(c.toString())),
                Boolean.TRUE.equals(o.get("insecure")),
                o.get("timeout") == null ? ConnectOptions.DEFAULT_TIMEOUT : duration(o.get("timeout")));
        Role parsedRole = Role.parse(role);
        EndpointUri parsedUri = EndpointUri.parse(uri);
        boolean replace = Boolean.TRUE.equals(o.get("replace"));
        return GuestValues.toGuest(journaled("connect " + role + " " + parsedUri.redacted(),
                () -> session.connect(parsedRole, parsedUri, connectOptions, replace)));
    }

    @HostAccess.Export
    public void disconnect(String role) {
        journaled("disconnect " + role, () -> {
            session.disconnect(Role.parse(role));
            return null;
        });
    }

    @HostAccess.Export
    public Object check(Value options) {
        Map<String, Object> o = GuestValues.options(options);
        return GuestValues.toGuest(CheckRendering.data(session.check(Boolean.TRUE.equals(o.get("flushTarget")))));
    }

    @HostAccess.Export
    public Object freezeWrites(Value options) {
        Map<String, Object> o = GuestValues.options(options);
        return GuestValues.toGuest(Freezing.data(journaled("freeze-writes " + o, () -> Freezing.freeze(session, console,
                String.valueOf(o.getOrDefault("via", "server")),
                o.get("max") == null ? Duration.ofSeconds(60) : duration(o.get("max")),
                o.get("lease") == null ? Duration.ofSeconds(5) : duration(o.get("lease")),
                o.get("catchupTimeout") == null ? Duration.ofSeconds(10) : duration(o.get("catchupTimeout")),
                Boolean.TRUE.equals(o.get("yes"))))));
    }

    @HostAccess.Export
    public Object unfreeze(Value options) {
        Map<String, Object> o = GuestValues.options(options);
        Duration held = journaled("unfreeze " + o, () -> Freezing.unfreeze(session, console,
                Boolean.TRUE.equals(o.get("force")), Boolean.TRUE.equals(o.get("yes"))));
        return GuestValues.toGuest(Map.of("heldMs", held.toMillis()));
    }

    /** {@code proxy.start({listen, upstream})}, the twin of {@code proxy start}. */
    @HostAccess.Export
    public String proxyStart(Value options) {
        Map<String, Object> o = GuestValues.options(options);
        Object listen = o.get("listen");
        if (listen == null) {
            throw CutoverException.usage("proxy.start needs {listen: 'HOST:PORT'}");
        }
        Role upstream = Role.parse(String.valueOf(o.getOrDefault("upstream", "source")));
        return journaled("proxy start " + o, () -> session.startProxy(listen.toString(), upstream));
    }

    @HostAccess.Export
    public Object proxyStatus() {
        return GuestValues.toGuest(dev.cutover.session.ProxyStatusText.data(session.proxyStatus()));
    }

    @HostAccess.Export
    public String proxyStop() {
        return journaled("proxy stop", session::stopProxy);
    }

    @HostAccess.Export
    public Object repoint(Value options) {
        Map<String, Object> o = GuestValues.options(options);
        var via = RepointCommand.parse(String.valueOf(o.getOrDefault("via", "")),
                o.get("command") == null ? null : o.get("command").toString(),
                o.get("commandTimeout") == null ? Duration.ofSeconds(60) : duration(o.get("commandTimeout")),
                Boolean.TRUE.equals(o.get("passSecret")),
                o.get("socket") == null ? null : o.get("socket").toString(),
                o.get("backend") == null ? null : o.get("backend").toString(),
                o.get("server") == null ? null : o.get("server").toString());
        boolean force = Boolean.TRUE.equals(o.get("force"));
        if (via instanceof dev.cutover.route.RepointVia.Proxy && o.get("clientPasswordEnv") != null) {
            String var = o.get("clientPasswordEnv").toString();
            String password = console.env(var).orElseThrow(() ->
                    CutoverException.usage("environment variable " + var + " (clientPasswordEnv) is not set"));
            via = new dev.cutover.route.RepointVia.Proxy(Optional.of(dev.cutover.proxy.Credentials.of(
                    o.get("clientUser") == null ? null : o.get("clientUser").toString(), password)));
        }
        var chosen = via;
        var outcome = journaled((force ? "repoint FORCED " : "repoint ") + o, () -> Freezing.repoint(session, console,
                chosen, force, Boolean.TRUE.equals(o.get("yes"))));
        return GuestValues.toGuest(Map.of("summary", outcome.summary(), "output", outcome.output()));
    }

    @HostAccess.Export
    public Object verify(Value options) {
        Map<String, Object> o = GuestValues.options(options);
        int sample = o.get("sample") instanceof Number n ? n.intValue() : 1000;
        int show = o.get("show") instanceof Number n ? n.intValue() : 20;
        return GuestValues.toGuest(dev.cutover.command.VerifyRendering.data(journaled("verify " + o,
                () -> session.verify(Boolean.TRUE.equals(o.get("full")), sample, show))));
    }

    @HostAccess.Export
    public Object rollback() {
        return GuestValues.toGuest(journaled("rollback", session::rollback));
    }

    @HostAccess.Export
    public boolean isDryRun() {
        return session.isDryRun();
    }

    /** The script's own explicit confirmation: --yes, or the operator's answer at a terminal. */
    @HostAccess.Export
    public boolean confirm(String question) {
        if (session.isDryRun()) {
            return true; // a rehearsal changes nothing, so it goes on to show every step
        }
        return console.assumeYes() || (console.interactive() && console.confirm(question));
    }

    @HostAccess.Export
    public Object replicate(Value options) {
        Map<String, Object> o = GuestValues.options(options);
        ReplicateOptions parsed = new ReplicateOptions(
                ReplicateOptions.Mode.parse(String.valueOf(o.getOrDefault("mode", "auto"))),
                Boolean.TRUE.equals(o.get("flushTarget")),
                o.get("linkTimeout") == null ? Duration.ofSeconds(30) : duration(o.get("linkTimeout")),
                Boolean.TRUE.equals(o.get("background")),
                Optional.ofNullable(o.get("sourceAddress")).map(Object::toString),
                Boolean.TRUE.equals(o.get("resume")), Boolean.TRUE.equals(o.get("dropFieldTtl")),
                Boolean.TRUE.equals(o.get("dropStreamIdempotency")));
        journaled("replicate " + o, () -> Replicating.replicate(session, console, parsed,
                Boolean.TRUE.equals(o.get("yes")), ProgressListener.NONE));
        return GuestValues.toGuest(Map.of("state", session.state().label()));
    }

    @HostAccess.Export
    public Object lag() {
        return GuestValues.toGuest(session.lag());
    }

    @HostAccess.Export
    public Object waitLag(Value options) {
        Map<String, Object> o = GuestValues.options(options);
        long maxBytes = o.get("maxBytes") instanceof Number n ? n.longValue() : 0;
        Duration timeout = o.get("timeout") == null ? Duration.ofSeconds(60) : duration(o.get("timeout"));
        return GuestValues.toGuest(journaled("wait-lag " + o, () -> session.waitLag(maxBytes, timeout)));
    }

    @HostAccess.Export
    public Object stop(Value options) {
        Map<String, Object> o = GuestValues.options(options);
        return GuestValues.toGuest(Stopping.data(journaled("stop " + o, () -> Stopping.stop(session, console,
                Boolean.TRUE.equals(o.get("yes")), Boolean.TRUE.equals(o.get("demoteSource"))))));
    }

    @HostAccess.Export
    public Object status() {
        return GuestValues.toGuest(session.status());
    }

    @HostAccess.Export
    public Object call(String role, Value words) {
        List<String> args = new ArrayList<>();
        for (long i = 0; i < words.getArraySize(); i++) {
            args.add(words.getArrayElement(i).asString());
        }
        if (args.isEmpty()) {
            throw CutoverException.usage(role + ".call() needs a command, e.g. " + role + ".call('PING')");
        }
        Role parsed = Role.parse(role);
        return GuestValues.toGuest(journaled(role + ".call " + String.join(" ", args),
                () -> session.call(parsed, args)));
    }

    @HostAccess.Export
    public String info(String role, String section) {
        return session.endpoint(Role.parse(role)).info(section);
    }

    @HostAccess.Export
    public boolean connected(String role) {
        return session.isConnected(Role.parse(role));
    }

    @HostAccess.Export
    public void print(String text) {
        console.out().println(console.json() ? json(Map.of("print", text)) : text);
        console.out().flush();
    }

    private static String json(Map<String, Object> object) {
        try {
            return JSON.writeValueAsString(object);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw CutoverException.failed("cannot render JSON: " + e.getMessage());
        }
    }

    @HostAccess.Export
    public void sleep(Value duration) {
        Duration d = Duration.ofMillis(millis(duration));
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CutoverException.Interrupted("interrupted while sleeping");
        }
    }

    @HostAccess.Export
    public long millis(Value duration) {
        if (duration.isNumber()) {
            return duration.asLong();
        }
        return Durations.parse(duration.isString() ? duration.asString() : duration.toString()).toMillis();
    }

    @HostAccess.Export
    public void timedOut(String message) {
        throw CutoverException.precondition(message);
    }

    @HostAccess.Export
    public void exit(int code) {
        throw new ScriptExit(code);
    }

    /** Runs a primitive, journals it, and with --json reports it as one JSON object. */
    private <T> T journaled(String input, java.util.function.Supplier<T> step) {
        T result = session.journal().record(session.operator(), (session.isDryRun() ? "js (dry run): " : "js: ") + input, step);
        if (console.json()) {
            Map<String, Object> object = new java.util.LinkedHashMap<>();
            object.put("step", dev.cutover.endpoint.Redaction.line(input));
            object.put("ok", true);
            object.put("dryRun", session.isDryRun());
            console.out().println(json(object));
            console.out().flush();
        }
        return result;
    }

    private static Duration duration(Object value) {
        return value instanceof Number n ? Duration.ofMillis(n.longValue()) : Durations.parse(value.toString());
    }
}
