package io.gomq.core.config;

/** When an append to the log counts as done (and a QoS>=1 publish may be acknowledged). */
public enum Durability {
    /** Written to the memory-mapped file: survives a kill -9 of the JVM, not a power loss. */
    WRITE,
    /**
     * Forced to disk before the acknowledgement: survives a power loss. The log's writer forces
     * once per batch of records (group commit), so concurrent publishers share a force.
     */
    FSYNC,
    /**
     * Acknowledged once written, as {@link #WRITE}; forced to disk every {@code fsyncIntervalMs}
     * in the background: a power loss can take up to the last interval's acknowledged messages.
     */
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
