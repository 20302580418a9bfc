package io.gomq.launcher.tls;

import io.netty.handler.ssl.ClientAuth;

import java.util.Locale;

/** Whether a TLS listener asks clients for a certificate (tls-client-auth). */
public enum ClientAuthMode {
    /** No certificate is asked for. */
    NONE(ClientAuth.NONE),
    /** Asked for; a client without one still connects (then with a user name and password), a bad one is refused. */
    OPTIONAL(ClientAuth.OPTIONAL),
    /** A certificate of the configured CA is needed to finish the TLS handshake. */
    REQUIRED(ClientAuth.REQUIRE);

    private final ClientAuth netty;

    ClientAuthMode(ClientAuth netty) {
        this.netty = netty;
    }

    ClientAuth netty() {
        return netty;
    }

    /** @throws IllegalArgumentException for anything but none, optional or required */
    public static ClientAuthMode parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "none", "off" -> NONE;
            case "optional", "want" -> OPTIONAL;
            case "required", "require", "need" -> REQUIRED;
            default -> throw new IllegalArgumentException("expected none, optional or required");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
