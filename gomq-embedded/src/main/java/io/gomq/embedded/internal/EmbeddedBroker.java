package io.gomq.embedded.internal;

import io.gomq.client.Consumer;
import io.gomq.client.ConsumerOptions;
import io.gomq.client.GoMqClient;
import io.gomq.client.Producer;
import io.gomq.client.Replay;
import io.gomq.client.ReplayFrom;
import io.gomq.core.concurrent.AsyncLifecycle;
import io.gomq.core.config.BrokerConfig;
import io.gomq.core.engine.BrokerEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-process broker: the engine with the threads of in-process consumers. Internal: the
 * public face is {@code io.gomq.embedded.GoMqBroker}; the launcher and benchmarks use this class
 * directly (the engine, the topic rules), which the module {@code io.gomq.embedded} does not export.
 *
 * <p>{@link #close()} closes consumers, producers, threads and the engine, each within a timeout,
 * even when one of them fails.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final long SHUTDOWN_TIMEOUT_MS = 5_000;

    private final BrokerEngine engine;
    private final DispatcherPool dispatcher;
    private final ScheduledExecutorService timer;
    private final Set<EmbeddedConsumer> consumers = ConcurrentHashMap.newKeySet();
    private final Set<EmbeddedProducer> producers = ConcurrentHashMap.newKeySet();
    private final AsyncLifecycle lifecycle = new AsyncLifecycle("gomq-close");
    private volatile io.gomq.core.auth.TopicAuthorizer authorizer;

    private EmbeddedBroker(BrokerEngine engine, DispatcherPool dispatcher, ScheduledExecutorService timer) {
        this.engine = engine;
        this.dispatcher = dispatcher;
        this.timer = timer;
    }

    /**
     * Validates {@code config} and starts with the engine opened by {@code openEngine} (the launcher's
     * cluster mode passes {@link BrokerEngine#openReplicated}); the broker owns and closes it. On a
     * failure closes whatever it had opened, then rethrows.
     *
     * @param config     the broker's configuration
     * @param openEngine opens the engine from the concluded configuration
     * @return the running broker
     */
    public static EmbeddedBroker start(BrokerConfig config, java.util.function.Function<BrokerConfig, BrokerEngine> openEngine) {
        long t0 = System.nanoTime();
        config.conclude();
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            BrokerEngine engine = openEngine.apply(config);
            opened.add(engine);
            DispatcherPool dispatcher = new DispatcherPool(config.dispatcherThreads(), "gomq-dispatch-");
            opened.add(dispatcher);
            AtomicInteger n = new AtomicInteger();
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "gomq-timer-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            timer.setRemoveOnCancelPolicy(true); // pacing fallbacks are cancelled by the thousand
            EmbeddedBroker broker = new EmbeddedBroker(engine, dispatcher, timer);
            LOG.info("GoMQ embedded broker started in {} ms ({})", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), config);
            return broker;
        } catch (RuntimeException e) {
            for (AutoCloseable c : opened) {
                closeQuietly(c, e);
            }
            throw e;
        }
    }

    /** {@return the engine: the broker's internals, for the launcher} */
    public BrokerEngine engine() {
        return engine;
    }

    /**
     * A trusted producer: in-process code may publish to every topic. Closed with the broker if
     * not before.
     *
     * @return a new producer
     */
    public EmbeddedProducer producer() {
        return producer(null, false);
    }

    /**
     * A producer that acts for {@code user} (null: anonymous) under the topic rules: a publish to
     * a topic it may not write fails with {@link io.gomq.client.NotAuthorizedException}.
     *
     * @param user the user name the rules apply to, or null for an anonymous client
     * @return a new producer, closed with the broker if not before
     */
    public EmbeddedProducer producer(String user) {
        return producer(user, true);
    }

    private EmbeddedProducer producer(String user, boolean checked) {
        ensureOpen();
        io.gomq.core.auth.TopicAuthorizer a = authorizer;
        io.gomq.core.auth.TopicGate gate = checked && a != null
                ? new io.gomq.core.auth.TopicGate(a, new io.gomq.core.auth.Principal(user, "gomq-embedded-producer"), null) : null;
        EmbeddedProducer p = new EmbeddedProducer(engine, timer, gate);
        producers.add(p);
        return p;
    }

    /**
     * The topic rules that producers and consumers given a principal are held to (the launcher
     * installs its ACL here); null, the default: none. In-process code without a principal is
     * always trusted.
     *
     * @param rules the rules, or null for none
     */
    public void topicAuthorizer(io.gomq.core.auth.TopicAuthorizer rules) {
        this.authorizer = rules;
    }

    /** {@return the topic rules producers and consumers with a principal are held to, or null} */
    public io.gomq.core.auth.TopicAuthorizer topicAuthorizer() {
        return authorizer;
    }

    /** {@return a consumer with a unique client id and a clean session} */
    public Consumer consumer() {
        return consumer(ConsumerOptions.defaults());
    }

    /**
     * A consumer with a persistent session under {@code clientId}.
     *
     * @param clientId the session's id: the same id resumes the session
     * @return a new consumer
     */
    public Consumer consumer(String clientId) {
        return consumer(ConsumerOptions.defaults().clientId(clientId).cleanSession(false));
    }

    /**
     * A consumer as {@code options} describe it.
     *
     * @param options client id, session kind, acknowledgement mode
     * @return a new consumer
     */
    public Consumer consumer(ConsumerOptions options) {
        ensureOpen();
        EmbeddedConsumer[] holder = new EmbeddedConsumer[1];
        EmbeddedConsumer c;
        try {
            c = new EmbeddedConsumer(engine, dispatcher, options, options.hasPrincipal() ? authorizer : null,
                    () -> consumers.remove(holder[0]));
        } catch (RuntimeException e) {
            throw ApiFailures.toApi(e); // the broker closing meanwhile, max-sessions reached
        }
        holder[0] = c;
        consumers.add(c);
        return c;
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
        ensureOpen();
        io.gomq.core.topic.Topics.validateFilter(filter);
        var log = engine.log();
        if (log == null) {
            throw new IllegalStateException("replay needs the durable log: this broker runs memory-only (persistent=false)");
        }
        return new LogReplay(log.reader(LogReplay.resolve(from, log)), filter);
    }

    /** {@return a client of this broker: what it makes is closed with it, the broker is not} */
    public GoMqClient client() {
        return new InProcessClient(this);
    }

    /** {@return whether close has begun} */
    public boolean isClosed() {
        return lifecycle.isClosing();
    }

    @Override
    public void close() {
        lifecycle.close(this::closeParts);
    }

    /**
     * {@link #close()} on a thread of its own.
     *
     * @return completes once the broker is closed (also when another call closed it), or fails
     *         with what {@link #close()} threw
     */
    public CompletableFuture<Void> closeAsync() {
        return lifecycle.closeAsync(this::closeParts);
    }

    private void closeParts() {
        RuntimeException failure = null;
        for (EmbeddedConsumer c : List.copyOf(consumers)) {
            failure = closeQuietly(c, failure);
        }
        for (EmbeddedProducer p : List.copyOf(producers)) {
            failure = closeQuietly(p, failure);
        }
        timer.shutdownNow();
        if (!dispatcher.shutdown(SHUTDOWN_TIMEOUT_MS)) {
            LOG.warn("dispatcher did not stop within {} ms; a consumer handler is still running (interrupted)", SHUTDOWN_TIMEOUT_MS);
        }
        failure = closeQuietly(engine, failure);
        if (failure != null) {
            throw failure;
        }
    }

    private void ensureOpen() {
        if (lifecycle.isClosing()) {
            throw new io.gomq.client.ClosedException("broker is closed");
        }
    }

    private static RuntimeException closeQuietly(AutoCloseable c, RuntimeException failure) {
        try {
            c.close();
        } catch (Exception e) {
            RuntimeException r = e instanceof RuntimeException re ? re : new IllegalStateException(e);
            if (failure == null) {
                return r;
            }
            failure.addSuppressed(r);
        }
        return failure;
    }
}
