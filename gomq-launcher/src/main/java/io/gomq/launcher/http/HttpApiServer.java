package io.gomq.launcher.http;

import io.gomq.core.engine.BrokerEngine;
import io.gomq.launcher.NodeStatus;
import io.gomq.launcher.auth.Authenticators;
import io.gomq.launcher.config.LauncherConfig;
import io.gomq.launcher.metrics.BrokerMetrics;
import io.gomq.launcher.tls.ServerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * GoMQ's HTTP API (GET /version, GET /messages, POST /pub) plus GET /health, /metrics,
 * /topics and /cluster, and the web console's routes ({@link ConsoleRoutes}), on Netty (HTTP/1.1, keep-alive, pipelining). Every reply is JSON except
 * /metrics (Prometheus text); every error is {@code {"error":"..."}} with no internals. Each
 * route's contract is on its handler class.
 *
 * <p>Authentication: when the launcher has a users file ({@link LauncherConfig#usersFile()}),
 * POST /pub and GET /messages need HTTP Basic credentials of a user in that file (401 with a
 * {@code WWW-Authenticate} challenge otherwise; without credentials they pass only when
 * allow-anonymous is set, as for MQTT); /metrics and /cluster need a user with the admin role
 * (403 for the others); /health and /version stay open for load balancers. With topic rules
 * (--acl) the caller is held to them: /pub writes, /messages reads, /topics lists only what it
 * may read. Without a users file every route is open.
 *
 * <p>Threads: one acceptor and {@value #EVENT_LOOP_THREADS} event loops of its own, so HTTP
 * never competes with the MQTT transport's loops. Handlers that may block (password hashing,
 * log reads) run on {@value #WORKER_THREADS} worker threads with a bounded queue (503 when
 * full). Request bodies are capped at max-payload-bytes + {@value #BODY_OVERHEAD_BYTES} (413
 * beyond, checked on the Content-Length before buffering). Idle connections close after
 * {@value #IDLE_SECONDS} s.
 */
public final class HttpApiServer implements AutoCloseable {
    static final int EVENT_LOOP_THREADS = 2;
    static final int WORKER_THREADS = 4;
    static final int WORKER_QUEUE = 256;
    static final int BODY_OVERHEAD_BYTES = 64 * 1024;
    static final int IDLE_SECONDS = 60;
    private static final long CLOSE_TIMEOUT_MS = 3_000;
    private static final Logger LOG = LoggerFactory.getLogger(HttpApiServer.class);

    private final Router router;
    private final int maxBodyBytes;
    private final ExecutorService workers;
    private final TailViewers tails;
    private final TopicRates rates;
    private EventLoopGroup acceptor;
    private EventLoopGroup loops;
    private Channel serverChannel;
    private boolean closed;

    /**
     * @throws io.gomq.launcher.auth.UsersFileException when the configured users file cannot be read
     */
    public HttpApiServer(BrokerEngine engine, LauncherConfig config, BrokerMetrics metrics, Supplier<NodeStatus> status) {
        this(engine, config, metrics, status, config.usersFile() == null ? null
                : Authenticators.forUsersFile(config.usersFile(), config.allowAnonymous()));
    }

    /**
     * @param authenticator the broker's own (the users file, or etcd's users in a cluster), so HTTP
     *                      and MQTT accept the same credentials; null leaves the API open
     */
    public HttpApiServer(BrokerEngine engine, LauncherConfig config, BrokerMetrics metrics, Supplier<NodeStatus> status,
                         io.gomq.launcher.auth.Authenticator authenticator) {
        this(engine, config, metrics, status, authenticator, null);
    }

    /**
     * @param authenticator the broker's own (the users file, or etcd's users in a cluster), so HTTP
     *                      and MQTT accept the same credentials; null leaves the API open
     * @param acl           the broker's topic rules, applied to the authenticated user; null: none
     */
    public HttpApiServer(BrokerEngine engine, LauncherConfig config, BrokerMetrics metrics, Supplier<NodeStatus> status,
                         io.gomq.launcher.auth.Authenticator authenticator, io.gomq.core.auth.TopicAuthorizer acl) {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(status, "status");
        BasicAuth auth = authenticator == null ? null : new BasicAuth(authenticator);
        this.workers = new ThreadPoolExecutor(WORKER_THREADS, WORKER_THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(WORKER_QUEUE), new DefaultThreadFactory("gomq-http-worker", true));
        this.tails = new TailViewers(engine, workers);
        bindTailMetrics(metrics, tails);
        HttpAccess access = new HttpAccess(auth, acl);
        this.router = routes(engine, metrics, status, access, config.clustered());
        this.rates = new TopicRates(engine);
        ConsoleRoutes.add(router, engine, access, tails, rates);
        this.maxBodyBytes = (int) Math.min(Integer.MAX_VALUE,
                (long) engine.config().maxPayloadBytes() + BODY_OVERHEAD_BYTES);
    }

    private static void bindTailMetrics(BrokerMetrics metrics, TailViewers tails) {
        io.micrometer.core.instrument.FunctionCounter.builder("gomq.console.tail.dropped", tails, TailViewers::droppedCount)
                .description("messages live tails (GET /tail) dropped for viewers that did not keep up")
                .register(metrics.registry());
        io.micrometer.core.instrument.Gauge.builder("gomq.console.tails", tails, TailViewers::size)
                .description("live tails (GET /tail) open").register(metrics.registry());
    }

    /**
     * @param clustered /pub then waits for replication, so it runs on a worker; so does every route
     *                  that checks credentials (a password hash), and /pub whenever it waits for the log
     */
    private static Router routes(BrokerEngine engine, BrokerMetrics metrics, Supplier<NodeStatus> status, HttpAccess access,
                                 boolean clustered) {
        MessagesHandler messages = new MessagesHandler(engine, access);
        boolean checks = access.checksCredentials();
        return new Router()
                .route(HttpMethod.GET, "/version", new VersionHandler(), false)
                .route(HttpMethod.GET, "/messages", messages, true)
                .prefix(HttpMethod.GET, MessagesHandler.PREFIX, messages, true)
                .route(HttpMethod.POST, "/pub", new PublishHandler(engine, status, access),
                        checks || clustered || engine.log() != null)
                .route(HttpMethod.GET, "/health", new HealthHandler(engine, status), false)
                .route(HttpMethod.GET, "/metrics", adminOnly(access, new MetricsHandler(metrics)), checks)
                .route(HttpMethod.GET, "/topics", new TopicsHandler(engine, access), checks)
                .route(HttpMethod.GET, "/cluster", adminOnly(access, new ClusterHandler(status)), checks);
    }

    /** Operator routes: with users configured, only for users with the admin role (403 for the others). */
    static ApiHandler adminOnly(HttpAccess access, ApiHandler handler) {
        return request -> {
            access.requireAdmin(request);
            return handler.handle(request);
        };
    }

    /**
     * Binds and starts serving; returns the bound port (the real one when {@code port} is 0).
     * On failure closes what it opened and rethrows.
     *
     * @throws IllegalStateException when started twice or after close
     */
    public synchronized int start(String bind, int port) {
        return start(bind, port, null);
    }

    /**
     * As {@link #start(String, int)}, over HTTPS when {@code tls} is given (its certificate is
     * reloaded like the MQTT listeners'; no client certificate is asked for: the API's
     * authentication is HTTP Basic).
     */
    public synchronized int start(String bind, int port, ServerTls tls) {
        if (closed || serverChannel != null) {
            throw new IllegalStateException(closed ? "HTTP API closed" : "HTTP API already started");
        }
        acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("gomq-http-accept", true),
                NioIoHandler.newFactory());
        loops = new MultiThreadIoEventLoopGroup(EVENT_LOOP_THREADS, new DefaultThreadFactory("gomq-http", true),
                NioIoHandler.newFactory());
        try {
            ServerBootstrap b = new ServerBootstrap()
                    .group(acceptor, loops)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 256)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (tls != null) {
                                tls.addTo(ch.pipeline(), ch);
                            }
                            ch.pipeline()
                                    .addLast(new IdleStateHandler(0, 0, IDLE_SECONDS))
                                    .addLast(new HttpServerCodec())
                                    .addLast(new JsonObjectAggregator(maxBodyBytes))
                                    .addLast(new ApiChannelHandler(router, workers));
                        }
                    });
            ChannelFuture bound = b.bind(bind, port).awaitUninterruptibly();
            if (!bound.isSuccess()) {
                throw bindFailure(bind, port, bound.cause());
            }
            serverChannel = bound.channel();
        } catch (RuntimeException e) {
            shutdownLoops();
            throw e;
        }
        int bound = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        LOG.info("HTTP API listening on {}:{}{}", bind, bound, tls == null ? "" : " (HTTPS)");
        return bound;
    }

    private static RuntimeException bindFailure(String bind, int port, Throwable cause) {
        String where = "cannot start the HTTP API on " + bind + ":" + port + ": " + cause.getMessage();
        return cause instanceof IOException io ? new UncheckedIOException(where, io) : new IllegalStateException(where, cause);
    }

    /** Stops accepting, closes connections and waits (bounded) for the threads to end. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(CLOSE_TIMEOUT_MS);
        }
        shutdownLoops();
        tails.closeAll(); // their sessions, whatever the workers still had queued
        rates.close();
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("HTTP API workers still busy after {} ms", CLOSE_TIMEOUT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void shutdownLoops() {
        for (EventLoopGroup g : new EventLoopGroup[] {acceptor, loops}) {
            if (g != null) {
                g.shutdownGracefully(0, CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
        }
        for (EventLoopGroup g : new EventLoopGroup[] {acceptor, loops}) {
            if (g != null && !g.terminationFuture().awaitUninterruptibly(CLOSE_TIMEOUT_MS + 1_000)) {
                LOG.warn("HTTP API event loops did not stop in time");
            }
        }
    }
}
