package io.gomq.remote.internal;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.gomq.client.ClosedException;
import io.gomq.client.Consumer;
import io.gomq.client.ConsumerOptions;
import io.gomq.client.GoMqClient;
import io.gomq.client.Producer;
import io.gomq.client.Replay;
import io.gomq.client.ReplayFrom;
import io.gomq.remote.RemoteClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link GoMqClient} over the network. Producers share one MQTT connection (clean session),
 * opened with the first producer; each consumer has its own; replays use the HTTP API. Handlers
 * of all its consumers run on {@value #HANDLER_THREADS} threads of its own.
 */
public final class NetworkClient implements GoMqClient {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkClient.class);
    private static final int HANDLER_THREADS = 2;
    private static final long CLOSE_TIMEOUT_MS = 10_000;

    private final RemoteClientConfig config;
    private final MqttConnections connections;
    private final ExecutorService handlers;
    private final Set<AutoCloseable> parts = ConcurrentHashMap.newKeySet();
    private HttpClient http;
    private MqttConnections.Connection producerConnection;
    private volatile boolean closed;

    /** @param config servers, credentials, TLS, limits */
    public NetworkClient(RemoteClientConfig config) {
        this.config = config;
        this.connections = new MqttConnections(config);
        AtomicInteger n = new AtomicInteger();
        this.handlers = Executors.newFixedThreadPool(HANDLER_THREADS, r -> {
            Thread t = new Thread(r, "gomq-remote-handler-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public Producer producer() {
        ensureOpen();
        return track(new NetworkProducer(producerConnection(), config.maxInFlightPublishes()));
    }

    private synchronized MqttConnections.Connection producerConnection() {
        if (producerConnection == null) {
            producerConnection = connections.connect(new MqttConnections.Session("gomq-remote-producer-" + UUID.randomUUID(),
                    true, 0, config.receiveMaximum()), c -> { });
        }
        return producerConnection;
    }

    @Override
    public Consumer consumer(ConsumerOptions options) {
        ensureOpen();
        if (options.hasPrincipal()) {
            throw new IllegalArgumentException("a remote consumer acts for the user it logs in as: principal(..) is for in-process consumers");
        }
        NetworkConsumer[] holder = new NetworkConsumer[1];
        NetworkConsumer c = new NetworkConsumer(connections, config, options, handlers, () -> parts.remove(holder[0]));
        holder[0] = c;
        return track(c);
    }

    @Override
    public Replay replay(String filter, ReplayFrom from) {
        ensureOpen();
        if (config.http().isEmpty()) {
            throw new IllegalStateException("replay reads the broker's HTTP API: give RemoteClientConfig.builder().http(..)");
        }
        return track(new HttpReplay(http(), config.http(), authorization(), filter, from));
    }

    private synchronized HttpClient http() {
        if (http == null) {
            HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(config.connectTimeout());
            if (config.trust() != null || config.keys() != null) {
                try {
                    javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
                    tls.init(config.keys() == null ? null : config.keys().getKeyManagers(),
                            config.trust() == null ? null : config.trust().getTrustManagers(), null);
                    b.sslContext(tls);
                } catch (java.security.GeneralSecurityException e) {
                    throw new IllegalStateException("TLS for the HTTP API: " + e.getMessage(), e);
                }
            }
            http = b.build();
        }
        return http;
    }

    private String authorization() {
        if (config.user() == null) {
            return null;
        }
        char[] password = config.password();
        String pair = config.user() + ":" + (password == null ? "" : new String(password));
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private <T extends AutoCloseable> T track(T part) {
        parts.add(part);
        if (closed) {
            parts.remove(part);
            closeQuietly(part);
            throw new ClosedException("client is closed");
        }
        return part;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AutoCloseable part : new ArrayList<>(parts)) {
            closeQuietly(part);
        }
        parts.clear();
        Mqtt5AsyncClient p;
        synchronized (this) {
            p = producerConnection == null ? null : producerConnection.client();
        }
        if (p != null) {
            try {
                p.disconnect().get(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.debug("producer connection did not close cleanly: {}", e.toString());
            }
        }
        handlers.shutdown();
        try {
            if (!handlers.awaitTermination(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                handlers.shutdownNow();
            }
        } catch (InterruptedException e) {
            handlers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new ClosedException("client is closed");
        }
    }

    private static void closeQuietly(AutoCloseable part) {
        try {
            part.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed", part, e);
        }
    }
}
