package dev.cutover.shell;

import dev.cutover.command.Sharing;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The share server is made after the dispatcher that needs it: this bridges the two. */
record LazySharing(Supplier<Sharing> target) implements Sharing {
    @Override
    public String open(Optional<Path> socket) {
        return target.get().open(socket);
    }

    @Override
    public String openTls(String listen) {
        return target.get().openTls(listen);
    }

    @Override
    public String invite(String holder, boolean observer) {
        return target.get().invite(holder, observer);
    }

    @Override
    public String remove(String who) {
        return target.get().remove(who);
    }

    @Override
    public String setRole(String who, boolean operator) {
        return target.get().setRole(who, operator);
    }

    @Override
    public List<String> who() {
        return target.get().who();
    }

    @Override
    public boolean isOpen() {
        return target.get().isOpen();
    }
}
