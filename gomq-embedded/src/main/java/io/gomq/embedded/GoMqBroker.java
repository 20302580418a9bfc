package io.gomq.embedded;

import io.gomq.client.Consumer;
import io.gomq.client.ConsumerOptions;
import io.gomq.client.GoMqClient;
import io.gomq.client.Producer;
import io.gomq.client.Replay;
import io.gomq.client.ReplayFrom;
import io.gomq.core.concurrent.AsyncLifecycle;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.embedded.internal.EmbeddedBroker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A GoMQ broker running inside the host JVM.
 *
 * <pre>{@code
 * try (GoMqBroker broker = GoMqBroker.start(EmbeddedConfig.builder().dataDir(Path.of("data")).build());
 *      Consumer consumer = broker.consumer()) {
 *     MessageStream messages = consumer.subscribe(List.of("A"), Qos.AT_LEAST_ONCE);
 *     broker.producer().publish("A", "hello world").join();
 *     Delivery m = messages.poll(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * Its producers, consumers and replays are those of the API in {@code io.gomq.client}: code
 * written against {@link GoMqClient} (see {@link #client()}) runs unchanged against a remote
 * broker. {@link #close()} closes consumers, producers, threads and the engine, each within a
 * timeout, even when one of them fails.
 */
public final class GoMqBroker implements AutoCloseable {
    private final EmbeddedBroker broker;

    private GoMqBroker(EmbeddedBroker broker) {
        this.broker = broker;
    }

    /**
     * Starts a broker with the defaults (a durable log in {@code data}).
     *
     * @return the running broker
     */
    public static GoMqBroker start() {
        return start(EmbeddedConfig.defaults());
    }

    /**
     * Starts; on a failure closes whatever it had opened, then rethrows.
     *
     * @param config the broker's settings
     * @return the running broker
     */
    public static GoMqBroker start(EmbeddedConfig config) {
        return new GoMqBroker(EmbeddedBroker.start(config.toEngineConfig(), BrokerEngine::open));
    }

    /**
     * {@link #start(EmbeddedConfig)} on a thread of its own, for hosts that start many things at once.
     *
     * @param config the broker's settings
     * @return completes with the running broker, or fails with what {@link #start(EmbeddedConfig)} throws
     */
    public static CompletableFuture<GoMqBroker> startAsync(EmbeddedConfig config) {
        return AsyncLifecycle.startAsync("gomq-start", () -> start(config));
    }

    /**
     * {@link #start(EmbeddedConfig)} on {@code executor}.
     *
     * @param config   the broker's settings
     * @param executor runs the start (it blocks while files open)
     * @return completes with the running broker, or fails with what {@link #start(EmbeddedConfig)} throws
     */
    public static CompletableFuture<GoMqBroker> startAsync(EmbeddedConfig config, Executor executor) {
        return AsyncLifecycle.startAsync(executor, () -> start(config));
    }

    /**
     * A client of this broker, the in-process twin of a remote {@code RemoteClient}: closing it
     * closes what it made, not the broker.
     *
     * @return a new client
     */
    public GoMqClient client() {
        return broker.client();
    }

    /**
     * A trusted producer: in-process code may publish to every topic. Closed with the broker if
     * not before.
     *
     * @return a new producer
     */
    public Producer producer() {
        return broker.producer();
    }

    /**
     * A producer that acts for {@code user} (null: anonymous) under the broker's topic rules (a
     * standalone broker's ACL): a publish to a topic it may not write fails.
     *
     * @param user the user name the rules apply to, or null for an anonymous client
     * @return a new producer, closed with the broker if not before
     */
    public Producer producer(String user) {
        return broker.producer(user);
    }

    /** {@return a consumer with a unique client id and a clean session} */
    public Consumer consumer() {
        return broker.consumer();
    }

    /**
     * A consumer with a persistent session under {@code clientId}.
     *
     * @param clientId the session's id: the same id resumes the session
     * @return a new consumer
     */
    public Consumer consumer(String clientId) {
        return broker.consumer(clientId);
    }

    /**
     * A consumer as {@code options} describe it.
     *
     * @param options client id, session kind, acknowledgement mode
     * @return a new consumer, closed with the broker if not before
     */
    public Consumer consumer(ConsumerOptions options) {
        return broker.consumer(options);
    }

    /**
     * Replays the log from {@code from} for the topics matching {@code filter} (validated),
     * then follows new appends. Needs a persistent broker.
     *
     * @param filter a topic filter
     * @param from   where in the log to start
     * @return the replay; close it when done
     */
    public Replay replay(String filter, ReplayFrom from) {
        return broker.replay(filter, from);
    }

    /** {@return whether close has begun} */
    public boolean isClosed() {
        return broker.isClosed();
    }

    /** Closes consumers, producers, threads and the engine; idempotent. */
    @Override
    public void close() {
        broker.close();
    }

    /**
     * {@link #close()} on a thread of its own.
     *
     * @return completes once the broker is closed (also when another call closed it), or fails
     *         with what {@link #close()} threw
     */
    public CompletableFuture<Void> closeAsync() {
        return broker.closeAsync();
    }

    /** The internals, for this module's tests. */
    EmbeddedBroker internal() {
        return broker;
    }
}
