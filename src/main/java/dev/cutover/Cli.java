package dev.cutover;

import dev.cutover.command.ErrorReport;
import dev.cutover.demo.Demo;
import dev.cutover.local.ServerBinaries;
import dev.cutover.script.ScriptEngine;
import dev.cutover.shell.BatchRunner;
import dev.cutover.shell.InteractiveShell;
import dev.cutover.shell.ShellRuntime;
import dev.cutover.shell.StdConsole;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.graalvm.polyglot.Engine;
import org.jline.terminal.Terminal;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "cutover", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Move a live Valkey or Redis database from one server to another.",
                "With no arguments and a terminal, opens the shell; without a terminal, reads commands from stdin."},
        subcommands = {Cli.RunScript.class, Cli.DemoCommand.class, Cli.Attach.class, Cli.ProxyCommand.class,
                Cli.Completions.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0 ok, 1 step failed, 2 usage, 3 precondition not met, 4 connection/auth, 130 interrupted"})
final class Cli implements Callable<Integer> {
    private final Map<String, String> env;

    @Mixin
    GlobalOptions global = new GlobalOptions();

    @Option(names = {"-c", "--command"}, paramLabel = "COMMANDS",
            description = "run these lines (separated by ';' or newlines) and exit")
    List<String> commands = new ArrayList<>();

    @Option(names = "--keep-going", description = "without a terminal, go on after a failing line")
    boolean keepGoing;

    Cli(Map<String, String> env) {
        this.env = env;
    }

    static CommandLine commandLine(Map<String, String> env) {
        CommandLine cl = new CommandLine(new Cli(env), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                if (cls == Cli.class) {
                    return cls.cast(new Cli(env));
                }
                return CommandLine.defaultFactory().create(cls);
            }
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean json = parseResult.hasMatchedOption("--json");
            boolean debug = parseResult.hasMatchedOption("--debug");
            StdConsole console = new StdConsole(new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                    new StdConsole.Options(false, json, debug, false), env);
            return ErrorReport.print(console, e);
        });
        return cl;
    }

    /** What {@code commandLine(env).execute()} does with no arguments, without building the command model first. */
    static int withoutArguments(Map<String, String> env) {
        try {
            return new Cli(env).call();
        } catch (RuntimeException e) {
            StdConsole console = new StdConsole(new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                    new StdConsole.Options(false, false, false, false), env);
            return ErrorReport.print(console, e);
        }
    }

    /** Options every form of the command line takes. */
    static final class GlobalOptions {
        @Option(names = "--json", description = "print one JSON object per result", scope = CommandLine.ScopeType.INHERIT)
        boolean json;

        @Option(names = "--debug", description = "show stack traces with errors", scope = CommandLine.ScopeType.INHERIT)
        boolean debug;

        @Option(names = "--yes", description = "go ahead with dangerous steps without asking", scope = CommandLine.ScopeType.INHERIT)
        boolean yes;

        @Option(names = "--name", paramLabel = "OPERATOR", description = "operator name for the journal (default: your user name)",
                scope = CommandLine.ScopeType.INHERIT)
        String name;
    }

    @Override
    public Integer call() {
        boolean terminal = commands.isEmpty() && Terminals.stdinIsTerminal();
        try (ShellRuntime runtime = runtime(global, terminal)) {
            if (!commands.isEmpty()) {
                List<String> lines = new ArrayList<>();
                commands.forEach(c -> lines.addAll(BatchRunner.linesOf(c)));
                return runtime.batch(keepGoing).run(lines);
            }
            if (terminal) {
                // The JavaScript context takes longest to make: begin now, while the terminal and prompt
                // are set up (measured: the first result comes about 0.07 s sooner, the prompt 0.04 s later).
                Thread.ofVirtual().start(runtime.scripts()::warmUp);
                try (Terminal t = Terminals.system()) {
                    return new InteractiveShell(t, runtime.session(), runtime.registry(), runtime.evaluator(),
                            runtime.scripts(), runtime.console(), runtime.dirs()).run();
                }
            }
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            return runtime.batch(keepGoing).run(stdin);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    ShellRuntime runtime(GlobalOptions g, boolean interactive) {
        Supplier<Engine> engine = memoize(ScriptEngine::newEngine);
        String operator = g.name != null ? g.name : env.getOrDefault("CUTOVER_OPERATOR", System.getProperty("user.name"));
        return new ShellRuntime(new StdConsole.Options(interactive, g.json, g.debug, g.yes), env,
                new PrintWriter(System.out, false, StandardCharsets.UTF_8),
                new PrintWriter(System.err, false, StandardCharsets.UTF_8), engine, operator);
    }

    static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run a cutover script (JavaScript).",
            footerHeading = "%nExample:%n",
            footer = "  cutover run scripts/update-connection-params.js --arg source=redis://a:6379 --arg target=redis://b:6379")
    static final class RunScript implements Callable<Integer> {
        @CommandLine.ParentCommand
        Cli parent;

        @Parameters(index = "0", paramLabel = "<file.js>")
        Path file;

        @Option(names = "--arg", paramLabel = "KEY=VALUE", description = "an argument the script reads as args.KEY (repeatable)")
        List<String> args = new ArrayList<>();

        @Option(names = "--arg-env", paramLabel = "KEY=VAR",
                description = "an argument read from environment variable VAR, for secrets (never on a command line; repeatable)")
        List<String> argsFromEnv = new ArrayList<>();

        @Option(names = "--dry-run", description = "check every step's preconditions against the live servers and say what"
                + " would happen; change nothing")
        boolean dryRun;

        @Override
        public Integer call() {
            try (ShellRuntime runtime = parent.runtime(parent.global, false)) {
                StringBuilder line = new StringBuilder("run ").append(quote(file.toString()));
                if (dryRun) {
                    line.append(" --dry-run");
                }
                for (String arg : args) {
                    line.append(" --arg ").append(quote(arg));
                }
                for (String arg : argsFromEnv) {
                    line.append(" --arg-env ").append(quote(arg));
                }
                return runtime.batch(false).run(List.of(line.toString()));
            }
        }

        private static String quote(String s) {
            return "'" + s.replace("'", "'\\''") + "'";
        }
    }

    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = "Start two local servers and show cutover on them (Redis 7.0 to Valkey 9.1 when provisioned).")
    static final class DemoCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        Cli parent;

        @Option(names = "--source", paramLabel = "FLAVOUR", completionCandidates = FlavourIds.class,
                description = "the source server: ${COMPLETION-CANDIDATES} (default: redis7)")
        String source;

        @Option(names = "--target", paramLabel = "FLAVOUR", completionCandidates = FlavourIds.class,
                description = "the target server (default: valkey9 when provisioned, else valkey8)")
        String target;

        @Override
        public Integer call() {
            java.util.Optional<dev.cutover.local.Flavour> from = flavour("--source", source);
            java.util.Optional<dev.cutover.local.Flavour> to = flavour("--target", target);
            parent.global.yes = true; // running the demo is the operator's consent to its dangerous steps
            try (ShellRuntime runtime = parent.runtime(parent.global, false)) {
                return new Demo(runtime, new ServerBinaries(parent.env), new dev.cutover.local.Provisioning(
                        Path.of(System.getProperty("cutover.home", ".")), parent.env), from, to).run();
            }
        }

        private static java.util.Optional<dev.cutover.local.Flavour> flavour(String option, String id) {
            if (id == null) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(dev.cutover.local.Flavour.byId(id).orElseThrow(() -> CutoverException.usage(
                    option + " '" + id + "' is not a server this demo knows: use one of " + String.join(", ", new FlavourIds()))));
        }
    }

    /** The flavour ids provision-servers.sh knows, for --source/--target completion. */
    static final class FlavourIds implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(dev.cutover.local.Flavour.values()).map(dev.cutover.local.Flavour::id).iterator();
        }
    }

    @Command(name = "completions", mixinStandardHelpOptions = true,
            description = "Print the shell completion script for bash, zsh or fish.",
            footerHeading = "%nExamples:%n", footer = {"  source <(bin/cutover completions bash)",
                    "  bin/cutover completions fish > ~/.config/fish/completions/cutover.fish"})
    static final class Completions implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "<shell>", description = "bash, zsh or fish",
                completionCandidates = ShellNames.class)
        String shell;

        /** Completion candidates for the shell name. */
        static final class ShellNames extends java.util.AbstractList<String> {
            private static final List<String> NAMES = List.of("bash", "zsh", "fish");

            @Override
            public String get(int index) {
                return NAMES.get(index);
            }

            @Override
            public int size() {
                return NAMES.size();
            }
        }

        @Override
        public Integer call() {
            System.out.print(CompletionScripts.generate(shell, spec.root().commandLine()));
            System.out.flush();
            return ExitCode.OK;
        }
    }

    @Command(name = "attach", mixinStandardHelpOptions = true, description = "Join a session another operator shared.",
            footerHeading = "%nExamples:%n", footer = {
                    "  cutover attach /run/user/1000/cutover/session-4242.sock --token-file ~/operator.token --name alice",
                    "  cutover attach tls://10.0.0.7:7700 --fingerprint … --token-env CUTOVER_TOKEN --name bob",
                    "The credential comes from the owner; without --token-file or --token-env it is asked for."})
    static final class Attach implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "<address>", description = "the socket path, or tls://HOST:PORT, that 'share' printed")
        String address;

        @Option(names = "--token-file", paramLabel = "FILE", description = "a file holding the credential the owner sent you")
        Path tokenFile;

        @Option(names = "--token-env", paramLabel = "VAR", description = "an environment variable holding the credential")
        String tokenEnv;

        @Option(names = "--token", hidden = true, paramLabel = "TOKEN")
        String tokenOnCommandLine;

        @Option(names = "--fingerprint", paramLabel = "SHA256", description = "with tls://: the certificate fingerprint from the attach line")
        String fingerprint;

        @CommandLine.ParentCommand
        Cli parent;

        @Option(names = "--observe", description = "watch only, even with an operator credential (a credential never gives more than it says)")
        boolean observe;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
            PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
            String name = parent.global.name;
            if (name == null || name.isBlank()) {
                throw CutoverException.usage("attach needs --name NAME: the others see your commands under it");
            }
            String token = dev.cutover.share.AttachToken.read(tokenOnCommandLine != null, tokenFile, tokenEnv, parent.env);
            dev.cutover.share.AttachClient client;
            if (address.startsWith("tls://")) {
                if (fingerprint == null) {
                    throw CutoverException.usage("attaching over tls:// needs --fingerprint from the attach line");
                }
                client = new dev.cutover.share.AttachClient(null, name, observe, token, out, err)
                        .over(dev.cutover.share.TlsShare.connector(address.substring("tls://".length()), fingerprint));
            } else {
                client = new dev.cutover.share.AttachClient(Path.of(address), name, observe, token, out, err);
            }
            if (Terminals.stdinIsTerminal()) {
                try (Terminal terminal = Terminals.system()) {
                    dev.cutover.session.CutoverDirs dirs = dev.cutover.session.CutoverDirs.fromEnvironment(parent.env);
                    java.nio.file.Files.createDirectories(dirs.config());
                    org.jline.reader.LineReader reader = org.jline.reader.LineReaderBuilder.builder().terminal(terminal)
                            .completer(new dev.cutover.shell.CommandCompleter(dev.cutover.command.CommandRegistry.standard()))
                            .history(new dev.cutover.shell.SecretFilteringHistory())
                            .variable(org.jline.reader.LineReader.HISTORY_FILE, dirs.historyFile())
                            .build();
                    return client.run(prompt -> {
                        try {
                            return reader.readLine(prompt.get());
                        } catch (org.jline.reader.UserInterruptException e) {
                            return "";
                        } catch (org.jline.reader.EndOfFileException e) {
                            return null;
                        }
                    });
                }
            }
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            return client.run(prompt -> stdin.readLine());
        }
    }

    @Command(name = "proxy", mixinStandardHelpOptions = true,
            description = {"Run a RESP proxy for applications to connect to; sessions hold its writes and move it to",
                    "another server through --control, without the clients seeing an error or a reconnect."},
            footerHeading = "%nExamples:%n", footer = {
                    "  cutover proxy --listen 0.0.0.0:6380 --upstream redis://10.0.0.5:6379 --control unix:/run/cutover/proxy.sock",
                    "  cutover proxy --listen :6380 --upstream redis://10.0.0.5:6379 --control 127.0.0.1:7000 --token-env PROXY_TOKEN"})
    static final class ProxyCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        Cli parent;

        @Option(names = "--listen", required = true, paramLabel = "HOST:PORT", description = "where applications connect")
        String listen;

        @Option(names = "--upstream", required = true, paramLabel = "URI", description = "the server to forward to: redis://[user@]host:port[/db]")
        String upstream;

        @Option(names = "--upstream-password-env", paramLabel = "VAR", description = "the upstream password, from this environment variable")
        String upstreamPasswordEnv;

        @Option(names = "--upstream-cacert", paramLabel = "FILE", description = "a TLS upstream (rediss://): PEM file of the CA"
                + " that signed its certificate (default: the JDK's CAs)")
        java.nio.file.Path upstreamCacert;

        @Option(names = "--upstream-insecure", description = "a TLS upstream: accept any certificate (test servers only)")
        boolean upstreamInsecure;

        @picocli.CommandLine.Mixin
        dev.cutover.command.ClientAuthOptions clientAuth = new dev.cutover.command.ClientAuthOptions();

        @Option(names = "--client-input-limit", paramLabel = "SIZE", description = "the largest request one client"
                + " may send (default: 1gb, as the server's client-query-buffer-limit)")
        String clientInputLimit;

        @Option(names = "--memory-budget", paramLabel = "SIZE", description = "what all clients together may have"
                + " buffered in the proxy (default: half the JVM heap); past it the clients holding the most wait")
        String memoryBudget;

        @Option(names = "--control", paramLabel = "unix:PATH|HOST:PORT", description = "where sessions connect to control the proxy: a Unix socket only you can open, or TCP, which speaks TLS with a certificate made at start (its fingerprint is printed)")
        String control;

        @Option(names = "--token-env", paramLabel = "VAR", description = "with a TCP --control: the token sessions must present, from this environment variable")
        String tokenEnv;

        @Option(names = "--loops", paramLabel = "N", description = "event-loop threads (default: cores, at most 4)")
        Integer loops;

        @Option(names = "--status-every", paramLabel = "SECONDS", defaultValue = "10",
                description = "with --json: print a status line this often (default ${DEFAULT-VALUE}; 0: never)")
        int statusEvery;

        @Override
        public Integer call() throws Exception {
            dev.cutover.endpoint.EndpointUri uri = dev.cutover.endpoint.EndpointUri.parse(upstream);
            if (upstreamPasswordEnv != null) {
                uri = uri.withCredentials(java.util.Optional.empty(),
                        java.util.Optional.of(dev.cutover.endpoint.Secret.of(requireEnv(upstreamPasswordEnv))));
            }
            dev.cutover.proxy.ProxyOptions options = new dev.cutover.proxy.ProxyOptions(
                    dev.cutover.proxy.HostPort.parse(listen, "--listen"), uri, java.util.Optional.empty(),
                    loops != null ? loops : dev.cutover.proxy.ProxyOptions.defaultEventLoops());
            options = options.withUpstreamTrust(upstreamInsecure ? dev.cutover.proxy.UpstreamTrust.insecureTrust()
                    : upstreamCacert != null ? dev.cutover.proxy.UpstreamTrust.caFile(upstreamCacert)
                    : dev.cutover.proxy.UpstreamTrust.defaults());
            options = options.withClientAuth(
                    clientAuth.toClientAuth(v -> java.util.Optional.ofNullable(parent.env.get(v))));
            dev.cutover.proxy.ProxyLimits limits = dev.cutover.proxy.ProxyLimits.defaults();
            if (memoryBudget != null) {
                limits = limits.withBudget(dev.cutover.proxy.ProxyLimits.parseSize(memoryBudget, "--memory-budget"));
            }
            if (clientInputLimit != null) {
                limits = limits.withClientInput(dev.cutover.proxy.ProxyLimits.parseSize(clientInputLimit,
                        "--client-input-limit"));
            }
            options = options.withLimits(limits);
            if (control != null) {
                dev.cutover.endpoint.Secret token = tokenEnv == null ? null : dev.cutover.endpoint.Secret.of(requireEnv(tokenEnv));
                options = options.withControl(dev.cutover.proxy.ControlEndpoint.parse(control, token));
            } else if (tokenEnv != null) {
                throw CutoverException.usage("--token-env goes with a TCP --control HOST:PORT");
            }
            PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
            PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
            boolean json = parent.global.json;
            boolean terminal = Terminals.stdinIsTerminal();
            dev.cutover.proxy.ProxyServer server = dev.cutover.proxy.ProxyServer.start(options);
            java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "proxy-shutdown"));
            server.warnings().forEach(w -> err.println("warning: " + w));
            String where = server.address().getHostString() + ":" + server.address().getPort();
            String io = server.status().io();
            if (json) {
                out.println("{\"event\": \"listening\", \"listen\": \"" + where + "\", \"upstream\": \""
                        + uri.redacted() + "\", \"control\": \"" + server.controlAddress().orElse("")
                        + server.controlFingerprint().map(f -> "\", \"controlFingerprint\": \"" + f).orElse("")
                        + "\", \"io\": "
                        + com.fasterxml.jackson.databind.node.TextNode.valueOf(io) + "}");
            } else if (terminal) {
                out.println("proxy listening on " + where + ", forwarding to " + uri.redacted()
                        + server.controlAddress().map(c -> "; control: " + c).orElse("; no control endpoint")
                        + "; I/O: " + io + " (Ctrl-C stops it)");
            }
            if (!json) {
                server.controlFingerprint().ifPresent(f -> err.println("control over TLS; sessions attach with: connect"
                        + " proxy " + server.controlAddress().orElseThrow() + " --token-env " + tokenEnv
                        + " --fingerprint " + f));
            }
            long every = json && statusEvery > 0 ? statusEvery : 1;
            String lastState = "";
            while (!stopped.await(every, java.util.concurrent.TimeUnit.SECONDS)) {
                dev.cutover.proxy.ProxyStatus status;
                try {
                    status = server.status();
                } catch (CutoverException e) {
                    err.println("warning: " + e.getMessage() + "; the proxy goes on serving");
                    continue; // a status is a report: it never stops the traffic
                }
                if (json && statusEvery > 0) {
                    out.println(dev.cutover.proxy.ControlCodec.json(status));
                } else if (terminal) {
                    String state = status.upstreamState().toString();
                    if (!state.equals(lastState)) {
                        out.println(java.time.LocalTime.now().withNano(0) + " upstream " + describe(status.upstreamState()));
                        lastState = state;
                    }
                }
            }
            return ExitCode.OK;
        }

        private String requireEnv(String name) {
            String value = parent.env.get(name);
            if (value == null || value.isEmpty()) {
                throw CutoverException.usage("the environment variable " + name + " is not set");
            }
            return value;
        }

        private static String describe(dev.cutover.proxy.UpstreamState s) {
            return switch (s) {
                case dev.cutover.proxy.UpstreamState.Reachable r -> r.address() + " reachable";
                case dev.cutover.proxy.UpstreamState.Unknown u -> u.address() + " not tried yet";
                case dev.cutover.proxy.UpstreamState.Unreachable u -> u.address() + " unreachable: " + u.reason();
            };
        }
    }
}
