package dev.cutover.command;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "share", description = "Open this session to other operators on a Unix socket (only you can reach it).",
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
        String attach = listen != null ? context.sharing().openTls(listen) : context.sharing().open(Optional.ofNullable(socket));
        return CommandResult.of("the session is shared; send this to the other operator:\n  " + attach,
                Map.of("attach", attach));
    }
}
