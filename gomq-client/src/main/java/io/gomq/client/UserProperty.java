package io.gomq.client;

import java.util.Objects;

/**
 * An MQTT 5 User Property: a name/value pair a publisher attaches to a message; names may repeat.
 *
 * @param name  the name (not null)
 * @param value the value (not null)
 */
public record UserProperty(String name, String value) {
    /**
     * Checks that neither part is null.
     *
     * @param name  the name
     * @param value the value
     */
    public UserProperty {
        Objects.requireNonNull(name, "user property name");
        Objects.requireNonNull(value, "user property value");
    }

    /** {@return {@code name=value}} */
    @Override
    public String toString() {
        return name + "=" + value;
    }
}
