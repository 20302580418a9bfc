package io.gomq.remote;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how a {@link RemoteClient} connects: the broker's MQTT addresses (every node of a
 * cluster: the client finds the leader), its HTTP API addresses (for replay), credentials, TLS, and the
 * flow-control limits. Immutable once built.
 *
 * <pre>{@code
 * RemoteClientConfig config = RemoteClientConfig.builder()
 *         .servers("ssl://n1:8883", "ssl://n2:8883", "ssl://n3:8883")
 *         .http(URI.create("https://n1:8443/"), URI.create("https://n2:8443/"), URI.create("https://n3:8443/"))
 *         .credentials("sensor-17", "secret".toCharArray())
 *         .tls(trustManagerFactory, keyManagerFactory)
 *         .build();
 * }</pre>
 */
public final class RemoteClientConfig {
    private final List<URI> servers;
    private final List<URI> http;
    private final String user;
    private final char[] password;
    private final TrustManagerFactory trust;
    private final KeyManagerFactory keys;
    private final Duration connectTimeout;
    private final int receiveMaximum;
    private final int maxInFlightPublishes;
    private final int qos0Buffer;

    private RemoteClientConfig(Builder b) {
        this.servers = List.copyOf(b.servers);
        this.http = List.copyOf(b.http);
        this.user = b.user;
        this.password = b.password == null ? null : b.password.clone();
        this.trust = b.trust;
        this.keys = b.keys;
        this.connectTimeout = b.connectTimeout;
        this.receiveMaximum = b.receiveMaximum;
        this.maxInFlightPublishes = b.maxInFlightPublishes;
        this.qos0Buffer = b.qos0Buffer;
    }

    /** {@return a builder with no server yet} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the MQTT addresses, tried in order} */
    public List<URI> servers() { return servers; }
    /** {@return the HTTP API's base addresses, tried in order (empty: replay is not available)} */
    public List<URI> http() { return http; }
    /** {@return the user name, or null for an anonymous client} */
    public String user() { return user; }
    /** {@return the password (a copy), or null} */
    public char[] password() { return password == null ? null : password.clone(); }
    /** {@return the trust for the brokers' certificates, or null for the JVM's default} */
    public TrustManagerFactory trust() { return trust; }
    /** {@return the client certificate, or null for none} */
    public KeyManagerFactory keys() { return keys; }
    /** {@return how long a connect to one server may take} */
    public Duration connectTimeout() { return connectTimeout; }
    /** {@return the QoS&gt;=1 deliveries a consumer holds unacknowledged at most (MQTT 5 Receive Maximum)} */
    public int receiveMaximum() { return receiveMaximum; }
    /** {@return the publishes a producer has unacknowledged at most; {@code publish} waits for room beyond} */
    public int maxInFlightPublishes() { return maxInFlightPublishes; }
    /** {@return the QoS 0 deliveries a consumer buffers at most; more are dropped (and counted) until it catches up} */
    public int qos0Buffer() { return qos0Buffer; }

    @Override
    public String toString() {
        return "RemoteClientConfig{servers=" + servers + ", http=" + http + ", user=" + user + ", tls="
                + (trust != null || keys != null) + ", receiveMaximum=" + receiveMaximum + '}';
    }

    /** Collects the settings; {@link #build()} checks them. */
    public static final class Builder {
        private final List<URI> servers = new ArrayList<>();
        private final List<URI> http = new ArrayList<>();
        private String user;
        private char[] password;
        private TrustManagerFactory trust;
        private KeyManagerFactory keys;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private int receiveMaximum = 64;
        private int maxInFlightPublishes = 1024;
        private int qos0Buffer = 1024;

        private Builder() {
        }

        /**
         * The MQTT addresses: {@code tcp://HOST:PORT}, {@code ssl://HOST:PORT},
         * {@code ws://HOST:PORT/PATH} or {@code wss://HOST:PORT/PATH}; several for a cluster.
         *
         * @param uris the addresses, tried in this order
         * @return this builder
         */
        public Builder servers(String... uris) {
            return servers(Arrays.stream(uris).map(URI::create).toList());
        }

        /**
         * The MQTT addresses; see {@link #servers(String...)}.
         *
         * @param uris the addresses, tried in this order
         * @return this builder
         */
        public Builder servers(List<URI> uris) {
            for (URI u : uris) {
                String scheme = String.valueOf(u.getScheme()).toLowerCase(Locale.ROOT);
                if (!List.of("tcp", "ssl", "ws", "wss").contains(scheme) || u.getHost() == null || u.getPort() < 0) {
                    throw new IllegalArgumentException("server must be tcp://, ssl://, ws:// or wss://HOST:PORT, was " + u);
                }
                servers.add(u);
            }
            return this;
        }

        /**
         * The HTTP API ({@code http://HOST:PORT/} or {@code https://}), which replay reads: every
         * node of a cluster, as for {@link #servers(String...)}. A replay reads from the first
         * that answers and goes on at the next when it stops answering (the offsets are the
         * same on every node: the log is replicated).
         *
         * @param bases the API's base addresses, tried in this order
         * @return this builder
         */
        public Builder http(URI... bases) {
            for (URI u : bases) {
                String scheme = String.valueOf(Objects.requireNonNull(u, "http").getScheme()).toLowerCase(Locale.ROOT);
                if (!List.of("http", "https").contains(scheme) || u.getHost() == null) {
                    throw new IllegalArgumentException("http must be http:// or https://HOST:PORT/, was " + u);
                }
                http.add(u);
            }
            return this;
        }

        /**
         * The user name and password (MQTT CONNECT, HTTP Basic authentication).
         *
         * @param user     the user name
         * @param password the password (copied), or null for none
         * @return this builder
         */
        public Builder credentials(String user, char[] password) {
            this.user = Objects.requireNonNull(user, "user");
            this.password = password == null ? null : password.clone();
            return this;
        }

        /**
         * TLS for {@code ssl://} and {@code wss://} addresses.
         *
         * @param trust the brokers' CA, or null for the JVM's default trust
         * @param keys  the client certificate and key (mutual TLS), or null for none
         * @return this builder
         */
        public Builder tls(TrustManagerFactory trust, KeyManagerFactory keys) { this.trust = trust; this.keys = keys; return this; }

        /**
         * How long a connect to one server may take before the next is tried.
         *
         * @param timeout the timeout, &gt; 0
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) { this.connectTimeout = Objects.requireNonNull(timeout, "connectTimeout"); return this; }

        /**
         * The QoS&gt;=1 deliveries a consumer holds unacknowledged at most (default 64): the broker
         * sends no more until the consumer acknowledges, so a slow handler slows the broker's
         * delivery to it, never the client's memory.
         *
         * @param n 1 .. 65535
         * @return this builder
         */
        public Builder receiveMaximum(int n) { this.receiveMaximum = n; return this; }

        /**
         * The publishes a producer has unacknowledged at most (default 1024); {@code publish} waits for room beyond.
         *
         * @param n &gt; 0
         * @return this builder
         */
        public Builder maxInFlightPublishes(int n) { this.maxInFlightPublishes = n; return this; }

        /**
         * The QoS 0 deliveries a consumer buffers at most (default 1024); beyond, QoS 0 is dropped as MQTT allows.
         *
         * @param n &gt; 0
         * @return this builder
         */
        public Builder qos0Buffer(int n) { this.qos0Buffer = n; return this; }

        /**
         * Checks the settings.
         *
         * @return the configuration
         * @throws IllegalArgumentException naming the first bad setting
         */
        public RemoteClientConfig build() {
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("servers: at least one MQTT address is needed");
            }
            if (receiveMaximum < 1 || receiveMaximum > 65_535) {
                throw new IllegalArgumentException("receiveMaximum must be 1 .. 65535, was " + receiveMaximum);
            }
            if (maxInFlightPublishes < 1 || qos0Buffer < 1) {
                throw new IllegalArgumentException("maxInFlightPublishes and qos0Buffer must be > 0");
            }
            if (connectTimeout.isZero() || connectTimeout.isNegative()) {
                throw new IllegalArgumentException("connectTimeout must be > 0, was " + connectTimeout);
            }
            return new RemoteClientConfig(this);
        }
    }
}
