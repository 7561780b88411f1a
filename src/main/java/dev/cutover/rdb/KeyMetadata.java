package dev.cutover.rdb;

/**
 * One class of a Redis 8.6 key's module metadata (RDB opcode 243), as the file names it. The
 * class's own data belongs to its module and is skipped; what is kept says whose it was.
 *
 * @param className    the class's four-character name
 * @param classVersion the class's encoding version (0-31)
 * @param flags        the three flag bits stored with it (bit 0: a loader may ignore it)
 */
public record KeyMetadata(String className, int classVersion, int flags) {
    /** Bit 0 of the flags: a server without the class may drop the metadata on load. */
    public static final int ALLOW_IGNORE = 1;
    /** The class name's alphabet (differs from a module type name's in the order of '_' and '-'). */
    private static final String CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

    public KeyMetadata {
        if (className == null || className.length() != 4) {
            throw new IllegalArgumentException("a key metadata class name has four characters: " + className);
        }
        if (classVersion < 0 || classVersion > 31 || flags < 0 || flags > 7) {
            throw new IllegalArgumentException("key metadata version 0-31 and flags 0-7, not " + classVersion
                    + " and " + flags);
        }
    }

    /** Decodes the 32-bit class spec: 24 bits of name (6 per character), 5 of version, 3 of flags. */
    static KeyMetadata decode(long spec) {
        int flags = (int) (spec & 7);
        int version = (int) ((spec >>> 3) & 31);
        char[] name = new char[4];
        long v = spec >>> 8;
        for (int i = 3; i >= 0; i--) {
            name[i] = CHARS.charAt((int) (v & 63));
            v >>>= 6;
        }
        return new KeyMetadata(new String(name), version, flags);
    }

    public boolean allowIgnore() {
        return (flags & ALLOW_IGNORE) != 0;
    }
}
