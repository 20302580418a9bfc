package io.gomq.launcher.limits;

import io.gomq.core.config.ConfigException;

/**
 * The transport's abuse limits per source address and per client, next to the engine's own
 * (topic length and levels, subscriptions, retained topics, queued bytes in {@code BrokerConfig}).
 * Fluent accessors without {@code get}; {@link #conclude()} validates. 0 switches a limit off.
 *
 * <p>Defaults refuse nothing an ordinary client does: connections and CONNECTs per address are
 * unlimited (many devices share one address behind NAT), the publish rate is unlimited, and only
 * failed logins slow down, from the address that failed.
 */
public final class ClientLimits {
    public static final int MAX_CONNECTIONS_PER_ADDRESS = 0;
    public static final int CONNECT_RATE_PER_ADDRESS = 0;
    public static final long AUTH_FAILURE_DELAY_MS = 100;
    public static final long AUTH_FAILURE_MAX_DELAY_MS = 10_000;
    public static final int PUBLISH_RATE = 0;

    private int maxConnectionsPerAddress = MAX_CONNECTIONS_PER_ADDRESS;
    private int connectRatePerAddress = CONNECT_RATE_PER_ADDRESS;
    private long authFailureDelayMs = AUTH_FAILURE_DELAY_MS;
    private long authFailureMaxDelayMs = AUTH_FAILURE_MAX_DELAY_MS;
    private int publishRate = PUBLISH_RATE;

    public ClientLimits conclude() {
        if (maxConnectionsPerAddress < 0) {
            throw new ConfigException("max-connections-per-ip", maxConnectionsPerAddress, "must be >= 0 (0 = no limit)");
        }
        if (connectRatePerAddress < 0) {
            throw new ConfigException("connect-rate-per-ip", connectRatePerAddress, "must be >= 0 (0 = no limit)");
        }
        if (authFailureDelayMs < 0) {
            throw new ConfigException("auth-failure-delay-ms", authFailureDelayMs, "must be >= 0 (0 = no back-off)");
        }
        if (authFailureMaxDelayMs < authFailureDelayMs) {
            throw new ConfigException("auth-failure-max-delay-ms", authFailureMaxDelayMs, "must be >= auth-failure-delay-ms");
        }
        if (publishRate < 0) {
            throw new ConfigException("publish-rate", publishRate, "must be >= 0 (0 = no limit)");
        }
        return this;
    }

    /** Connections open at once from one IP address; 0 = no limit. */
    public int maxConnectionsPerAddress() { return maxConnectionsPerAddress; }
    public ClientLimits maxConnectionsPerAddress(int v) { maxConnectionsPerAddress = v; return this; }
    /** CONNECTs per second from one IP address (a burst of as many is allowed); 0 = no limit. */
    public int connectRatePerAddress() { return connectRatePerAddress; }
    public ClientLimits connectRatePerAddress(int v) { connectRatePerAddress = v; return this; }
    /** The wait after an address's first failed login, doubled at each further failure; 0 = no back-off. */
    public long authFailureDelayMs() { return authFailureDelayMs; }
    public ClientLimits authFailureDelayMs(long v) { authFailureDelayMs = v; return this; }
    /** The longest back-off wait. */
    public long authFailureMaxDelayMs() { return authFailureMaxDelayMs; }
    public ClientLimits authFailureMaxDelayMs(long v) { authFailureMaxDelayMs = v; return this; }
    /** PUBLISH packets per second one connection may send; faster publishers are paced (not dropped). 0 = no limit. */
    public int publishRate() { return publishRate; }
    public ClientLimits publishRate(int v) { publishRate = v; return this; }

    @Override
    public String toString() {
        return "ClientLimits{maxConnectionsPerIp=" + maxConnectionsPerAddress + ", connectRatePerIp=" + connectRatePerAddress
                + ", authFailureDelayMs=" + authFailureDelayMs + "/" + authFailureMaxDelayMs + ", publishRate=" + publishRate + '}';
    }
}
