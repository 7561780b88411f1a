package dev.cutover.share;

import dev.cutover.CutoverException;
import dev.cutover.trust.SelfSignedIdentity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The credentials of one shared session. Each is a random token written to a file of its own,
 * created 0600 in a directory only the owner can enter; a token is never printed, broadcast or
 * journaled. Revoking one takes effect for the next line its holder sends.
 */
final class Credentials {
    private static final Pattern HOLDER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    private final Path dir;
    private final String prefix;
    private final Map<String, Entry> byHolder = new LinkedHashMap<>();

    private record Entry(Credential credential, byte[] token) {
    }

    Credentials(Path dir, String prefix) {
        this.dir = dir;
        this.prefix = prefix;
    }

    /** Issues a credential for {@code holder} with {@code role}; the token goes to a new 0600 file. */
    synchronized Credential issue(String holder, ParticipantRole role) {
        if (!HOLDER.matcher(holder).matches()) {
            throw CutoverException.usage("'" + holder + "' cannot name a credential: use 1-32 letters, digits, '.', '_' or '-'");
        }
        if (byHolder.containsKey(holder)) {
            throw CutoverException.precondition("a credential for '" + holder + "' exists already: 'kick " + holder
                    + "' revokes it, or choose another name");
        }
        String token = SelfSignedIdentity.randomHex(24);
        Path file = privateDir().resolve(prefix + "-" + holder + ".token");
        try {
            Files.deleteIfExists(file);
            try (SeekableByteChannel out = Files.newByteChannel(file,
                    java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                out.write(ByteBuffer.wrap((token + "\n").getBytes(StandardCharsets.US_ASCII)));
            }
        } catch (IOException e) {
            throw CutoverException.failed("cannot write the credential file " + file + ": " + e.getMessage());
        }
        Credential credential = new Credential(holder, role, file);
        byHolder.put(holder, new Entry(credential, token.getBytes(StandardCharsets.US_ASCII)));
        return credential;
    }

    /** The credential whose token this is, compared in constant time against every live one. */
    synchronized Optional<Credential> match(String presented) {
        byte[] given = String.valueOf(presented).strip().getBytes(StandardCharsets.US_ASCII);
        Credential found = null;
        for (Entry e : byHolder.values()) {
            if (MessageDigest.isEqual(e.token(), given)) {
                found = e.credential();
            }
        }
        return Optional.ofNullable(found);
    }

    /** Whether the credential still stands, with the role it now gives. */
    synchronized Optional<Credential> current(String holder) {
        return Optional.ofNullable(byHolder.get(holder)).map(Entry::credential);
    }

    synchronized List<Credential> all() {
        return new ArrayList<>(byHolder.values().stream().map(Entry::credential).toList());
    }

    synchronized void revoke(String holder) {
        Entry gone = byHolder.remove(holder);
        if (gone != null) {
            deleteQuietly(gone.credential().file());
        }
    }

    /** Every token file is deleted: the session is no longer shared. */
    synchronized void revokeAll() {
        byHolder.values().forEach(e -> deleteQuietly(e.credential().file()));
        byHolder.clear();
    }

    private Path privateDir() {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            String owner = Files.getOwner(dir).getName();
            String me = ProcessHandle.current().info().user().orElse(owner);
            int mode = (Integer) Files.getAttribute(dir, "unix:mode");
            if (!owner.equals(me) || (mode & 0077) != 0) {
                throw CutoverException.precondition("the credentials directory " + dir + " is not yours alone (mode "
                        + Integer.toOctalString(mode & 0777) + "): remove it, or set XDG_RUNTIME_DIR to a private directory");
            }
            return dir;
        } catch (IOException e) {
            throw CutoverException.failed("cannot prepare the credentials directory " + dir + ": " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover token file is useless once revoked: it matches nothing
        }
    }
}
