package io.gomq.core.config;

/** When an append to the log counts as done (and a QoS>=1 publish may be acknowledged). */
public enum Durability {
    /** Written to the memory-mapped file: survives a kill -9 of the JVM, not a power loss. */
    WRITE,
    /** Forced to disk before the acknowledgement: survives a power loss. */
    FSYNC,
    /** Written at once, forced to disk every {@code fsyncIntervalMs}: bounded loss on power failure. */
    FSYNC_BATCHED;

    public static Durability parse(String s) {
        switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "write": return WRITE;
            case "fsync": return FSYNC;
            case "fsync-batched": case "batched": return FSYNC_BATCHED;
            default: throw new ConfigException("durability", s, "expected write, fsync or fsync-batched");
        }
    }
}
