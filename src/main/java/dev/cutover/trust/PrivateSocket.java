package dev.cutover.trust;

import dev.cutover.CutoverException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A listening Unix socket only its owner can open, from the moment its name exists: it is bound
 * inside a fresh directory of mode 0700 beside the wanted path, made 0600 there, and renamed into
 * place (the JVM cannot set a umask, and a chmod after bind leaves a moment in which anyone may
 * connect). A missing parent directory is made 0700; a parent others may write to without the
 * sticky bit is refused, since they could replace the socket.
 */
public final class PrivateSocket {
    private PrivateSocket() {
    }

    /** Binds {@code path}; {@code what} names it in errors ("the control socket"). */
    public static ServerSocketChannel bind(Path path, String what) throws IOException {
        Path target = path.toAbsolutePath();
        Path parent = target.getParent();
        if (!Files.isDirectory(parent)) {
            Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        int mode = (Integer) Files.getAttribute(parent, "unix:mode");
        if ((mode & 0022) != 0 && (mode & 01000) == 0) {
            throw CutoverException.precondition(what + "'s directory " + parent + " may be written by other users:"
                    + " choose a directory only you can write to (e.g. under $XDG_RUNTIME_DIR)");
        }
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (live(target)) {
                throw CutoverException.precondition(what + " " + target + " is in use: another cutover runs there");
            }
            Files.delete(target);
        }
        Path staging = Files.createTempDirectory(parent, ".cutover-bind-"); // 0700: nobody else can reach inside
        Path inside = staging.resolve("s");
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(inside));
            Files.setPosixFilePermissions(inside, PosixFilePermissions.fromString("rw-------"));
            Files.move(inside, target, StandardCopyOption.ATOMIC_MOVE);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(inside);
            throw e;
        } finally {
            Files.deleteIfExists(staging);
        }
    }

    private static boolean live(Path path) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return probe.isConnected();
        } catch (IOException e) {
            return false;
        }
    }
}
