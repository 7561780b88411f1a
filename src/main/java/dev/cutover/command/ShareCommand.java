package dev.cutover.command;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "share", description = "Open this session to other operators: a private Unix socket, or TLS; a credential per role (owner only).",
        footerHeading = "%nExamples:%n", footer = {"  share", "  share --socket /run/user/1000/cutover/window.sock", "  share --listen 10.0.0.7:7700"})
final class ShareCommand implements ShellCommand {
    @Option(names = "--socket", paramLabel = "PATH", description = "where to put the socket (default: your runtime dir)")
    Path socket;

    @Option(names = "--listen", paramLabel = "HOST:PORT",
            description = "share over TCP instead: TLS with a certificate made now, and a random token")
    String listen;

    @Mixin
    HelpOption help;

    @Override
    public CommandResult call(CommandContext context) {
        String shared = listen != null ? context.sharing().openTls(listen) : context.sharing().open(Optional.ofNullable(socket));
        return CommandResult.of(shared, Map.of("shared", shared));
    }
}
