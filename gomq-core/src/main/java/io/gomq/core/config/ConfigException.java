package io.gomq.core.config;

/** A configuration value that cannot be used; the message names the key. */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String key;

    public ConfigException(String key, Object value, String why) {
        super("invalid configuration '" + key + "' = '" + value + "': " + why);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
