package io.gomq.embedded;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.engine.BrokerEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A GoMQ broker running inside the host JVM.
 *
 * <pre>{@code
 * try (GoMqBroker broker = GoMqBroker.start(BrokerConfig.defaults().dataDir(Path.of("data")));
 *      Consumer consumer = broker.consumer()) {
 *     consumer.subscribe(List.of("A"), Qos.AT_MOST_ONCE, d -> System.out.println(d.topic() + " " + d.payloadAsString()));
 *     broker.producer().publish("A", "hello world");
 * }
 * }</pre>
 *
 * {@link #close()} closes consumers, producers, threads and the engine, each within a timeout,
 * even when one of them fails.
 */
public final class GoMqBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GoMqBroker.class);
    private static final long SHUTDOWN_TIMEOUT_MS = 5_000;

    private final BrokerEngine engine;
    private final DispatcherPool dispatcher;
    private final ScheduledExecutorService timer;
    private final Set<EmbeddedConsumer> consumers = ConcurrentHashMap.newKeySet();
    private final Set<EmbeddedProducer> producers = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile io.gomq.core.auth.TopicAuthorizer authorizer;

    private GoMqBroker(BrokerEngine engine, DispatcherPool dispatcher, ScheduledExecutorService timer) {
        this.engine = engine;
        this.dispatcher = dispatcher;
        this.timer = timer;
    }

    /** Starts a broker with the defaults. */
    public static GoMqBroker start() {
        return start(BrokerConfig.defaults());
    }

    /** Validates {@code config} and starts; on a failure closes whatever it had opened, then rethrows. */
    public static GoMqBroker start(BrokerConfig config) {
        return start(config, BrokerEngine::open);
    }

    /**
     * Like {@link #start(BrokerConfig)} with the engine opened by {@code openEngine} (the launcher's
     * cluster mode passes {@link BrokerEngine#openReplicated}); the broker owns and closes it.
     */
    public static GoMqBroker start(BrokerConfig config, java.util.function.Function<BrokerConfig, BrokerEngine> openEngine) {
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
            GoMqBroker broker = new GoMqBroker(engine, dispatcher, timer);
            LOG.info("GoMQ embedded broker started in {} ms ({})", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), config);
            return broker;
        } catch (RuntimeException e) {
            for (AutoCloseable c : opened) {
                closeQuietly(c, e);
            }
            throw e;
        }
    }

    public BrokerEngine engine() {
        return engine;
    }

    /** A trusted producer: in-process code may publish to every topic. */
    public Producer producer() {
        return producer(null, false);
    }

    /**
     * A producer that acts for {@code user} (null: anonymous) under the topic rules: a publish to
     * a topic it may not write fails with {@link io.gomq.core.auth.NotAuthorizedException}.
     */
    public Producer producer(String user) {
        return producer(user, true);
    }

    private Producer producer(String user, boolean checked) {
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
     */
    public void topicAuthorizer(io.gomq.core.auth.TopicAuthorizer rules) {
        this.authorizer = rules;
    }

    public io.gomq.core.auth.TopicAuthorizer topicAuthorizer() {
        return authorizer;
    }

    /** A consumer with a unique client id and a clean session. */
    public Consumer consumer() {
        return consumer(ConsumerOptions.defaults());
    }

    /** A consumer with a persistent session under {@code clientId}. */
    public Consumer consumer(String clientId) {
        return consumer(ConsumerOptions.defaults().clientId(clientId).cleanSession(false));
    }

    public Consumer consumer(ConsumerOptions options) {
        ensureOpen();
        EmbeddedConsumer[] holder = new EmbeddedConsumer[1];
        EmbeddedConsumer c = new EmbeddedConsumer(engine, dispatcher, options, options.hasPrincipal() ? authorizer : null,
                () -> consumers.remove(holder[0]));
        holder[0] = c;
        consumers.add(c);
        return c;
    }

    /**
     * Replays the log from {@code from} for the topics matching {@code filter} (validated),
     * then follows new appends. Needs a persistent broker.
     */
    public Replay replay(String filter, ReplayFrom from) {
        ensureOpen();
        io.gomq.core.topic.Topics.validateFilter(filter);
        var log = engine.log();
        if (log == null) {
            throw new IllegalStateException("replay needs the durable log: this broker runs memory-only (persistent=false)");
        }
        return new Replay(log.reader(from.resolve(log)), filter);
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
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
        if (closed) {
            throw new io.gomq.core.engine.BrokerClosedException();
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
