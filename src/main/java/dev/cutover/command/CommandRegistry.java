package dev.cutover.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The table of every shell command: one line each, in the order help lists them. */
public final class CommandRegistry {

    /** Which phase of a migration a command belongs to, for help. */
    public enum Group { CONNECT("Connect"), COPY("Copy"), CUT_OVER("Cut over"), INSPECT("Inspect"), SHARE("Share"), SCRIPT("Script"), SHELL("Shell");
        private final String title;

        Group(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    /**
     * @param journaled whether running it is a step worth a journal line
     */
    public record Entry(String name, Group group, boolean journaled, Supplier<ShellCommand> factory) {
        public CommandSpec spec() {
            return CommandFactory.commandLine(factory.get()).getCommandSpec();
        }

        public String summary() {
            String[] description = spec().usageMessage().description();
            return description.length == 0 ? "" : description[0];
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();

    public static CommandRegistry standard() {
        CommandRegistry r = new CommandRegistry();
        r.add(new Entry("connect", Group.CONNECT, true, ConnectCommand::new));
        r.add(new Entry("disconnect", Group.CONNECT, true, DisconnectCommand::new));
        r.add(new Entry("proxy", Group.CONNECT, true, ProxyCommand::new));
        r.add(new Entry("check", Group.COPY, true, CheckCommand::new));
        r.add(new Entry("replicate", Group.COPY, true, ReplicateCommand::new));
        r.add(new Entry("wait-lag", Group.COPY, true, WaitLagCommand::new));
        r.add(new Entry("freeze-writes", Group.CUT_OVER, true, FreezeWritesCommand::new));
        r.add(new Entry("unfreeze", Group.CUT_OVER, true, UnfreezeCommand::new));
        r.add(new Entry("repoint", Group.CUT_OVER, true, RepointCommand::new));
        r.add(new Entry("stop", Group.CUT_OVER, true, StopCommand::new));
        r.add(new Entry("rollback", Group.CUT_OVER, true, RollbackCommand::new));
        r.add(new Entry("status", Group.INSPECT, false, StatusCommand::new));
        r.add(new Entry("lag", Group.INSPECT, false, LagCommand::new));
        r.add(new Entry("verify", Group.INSPECT, true, VerifyCommand::new));
        r.add(new Entry("journal", Group.INSPECT, false, JournalCommand::new));
        r.add(new Entry("share", Group.SHARE, true, ShareCommand::new));
        r.add(new Entry("who", Group.SHARE, false, WhoCommand::new));
        r.add(new Entry("invite", Group.SHARE, true, InviteCommand::new));
        r.add(new Entry("kick", Group.SHARE, true, KickCommand::new));
        r.add(new Entry("promote", Group.SHARE, true, PromoteCommand::new));
        r.add(new Entry("demote", Group.SHARE, true, DemoteCommand::new));
        r.add(new Entry("set", Group.SHARE, true, SetCommand::new));
        r.add(new Entry("approve", Group.SHARE, false, ApproveCommand::new));
        r.add(new Entry("cancel", Group.SHARE, false, CancelCommand::new));
        r.add(new Entry("run", Group.SCRIPT, true, RunCommand::new));
        r.add(new Entry("help", Group.SHELL, false, HelpCommand::new));
        r.add(new Entry("exit", Group.SHELL, false, ExitCommand::new));
        r.aliases.put("quit", "exit");
        return r;
    }

    private void add(Entry entry) {
        entries.put(entry.name(), entry);
    }

    public Optional<Entry> find(String name) {
        return Optional.ofNullable(entries.get(aliases.getOrDefault(name, name)));
    }

    public boolean isCommand(String word) {
        return find(word).isPresent();
    }

    public List<Entry> all() {
        return new ArrayList<>(entries.values());
    }

    public List<String> names() {
        List<String> names = new ArrayList<>(entries.keySet());
        names.addAll(aliases.keySet());
        return names;
    }

    /** The one-line syntax of a command, e.g. "connect <role> <uri> [--replace] ...". */
    public String synopsis(String name) {
        return find(name).map(e -> {
            CommandLine.Help help = new CommandLine.Help(e.spec(), CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
            return help.synopsis(0).strip().replaceAll("\\s+", " ");
        }).orElse("");
    }
}
