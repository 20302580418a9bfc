package io.gomq.launcher.transport;

import io.gomq.core.engine.BrokerEngine;
import io.gomq.launcher.auth.Authenticator;
import io.gomq.launcher.limits.AddressLimits;
import io.gomq.launcher.limits.ClientLimits;
import io.gomq.launcher.tls.ServerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.NettyRuntime;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The MQTT listeners (plain, TLS, WebSocket, secure WebSocket) on Netty: epoll when available,
 * NIO otherwise; a few event loops serve every connection (no thread per connection). Each
 * accepted channel gets [SslHandler] → [{@link WebSocketPipeline}] → {@link MqttFrameDecoder} →
 * {@link MqttConnection}; every listener shares one {@link TransportContext}, so a cluster
 * member refuses CONNECT on each of them alike.
 *
 * <p>Lifecycle: construct, {@link #listen} once per listener, {@link #close()} (closes the
 * listeners, then every connection, then the threads, each within the shutdown timeout).
 */
public final class MqttServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MqttServer.class);
    private static final long SWEEP_SECONDS = 10;

    private final TransportContext context;
    private final TransportOptions options;
    private final EventLoopGroup workerGroup;
    private final Class<? extends ServerChannel> channelClass;
    private final ThreadPoolExecutor authExecutor;
    private final ChannelGroup connections = new DefaultChannelGroup("gomq-mqtt", GlobalEventExecutor.INSTANCE);
    private final List<Channel> listeners = new ArrayList<>();
    private volatile boolean closed;
    private volatile boolean acceptingClients = true;

    /**
     * @param maxPacketBytes the largest MQTT packet accepted (fixed header included)
     */
    public MqttServer(BrokerEngine engine, Authenticator authenticator, int maxPacketBytes,
                      TransportOptions options, TransportMetrics metrics) {
        this(engine, authenticator, Authorization.NONE, maxPacketBytes, options, metrics, new ClientLimits());
    }

    /**
     * @param authorization the topic rules connections are held to ({@link Authorization#NONE}: none)
     * @param maxPacketBytes the largest MQTT packet accepted (fixed header included)
     * @param limits per-address and per-connection abuse limits
     */
    public MqttServer(BrokerEngine engine, Authenticator authenticator, Authorization authorization, int maxPacketBytes,
                      TransportOptions options, TransportMetrics metrics, ClientLimits limits) {
        this.options = options;
        boolean epoll = Epoll.isAvailable();
        long spinMicros = options.effectiveIoSpinMicros();
        SelectStrategyFactory wait = SpinThenBlock.factory(TimeUnit.MICROSECONDS.toNanos(spinMicros));
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory(0, wait)
                : NioIoHandler.newFactory(SelectorProvider.provider(), wait);
        this.channelClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        int loops = options.ioThreads() > 0 ? options.ioThreads() : defaultLoops(NettyRuntime.availableProcessors());
        this.workerGroup = new MultiThreadIoEventLoopGroup(loops, new DefaultThreadFactory("gomq-io"), io);
        AtomicInteger n = new AtomicInteger();
        this.authExecutor = new ThreadPoolExecutor(options.authThreads(), options.authThreads(), 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(1024), r -> {
                    Thread t = new Thread(r, "gomq-auth-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        ClockTimers timers = new ClockTimers(engine.config().clock());
        AddressLimits addresses = new AddressLimits(limits.conclude(), timers.clock()::nanos);
        this.context = new TransportContext(engine, authenticator, authExecutor, metrics, options, maxPacketBytes,
                new TransportContext.ClientIds(), () -> acceptingClients, authorization,
                new ConnectLimiter(addresses, metrics, options.connectTimeoutMs(), timers), limits.publishRate(),
                new KeepAliveSweep(timers.clock()), timers);
        // forgets addresses whose failed logins are long past: the table holds live addresses only
        workerGroup.scheduleAtFixedRate(addresses::sweep, SWEEP_SECONDS, SWEEP_SECONDS, TimeUnit.SECONDS);
        LOG.debug("MQTT transport: {}, {} event loop(s) polling {} us after their last work", epoll ? "epoll" : "nio",
                loops, spinMicros);
    }

    /**
     * Event loops when none are configured: one per two cores, at least one. Our handlers never
     * block, so a loop keeps a core busy on its own; the other cores go to the log writer, the
     * garbage collector and the clients. With a loop per core (tried first) every delivery or
     * connect handed between two loops woke a thread that shared its core with the log writer and
     * the clients: on 2 cores, side by side, one loop took 57 us of CPU per connect where two took
     * 76 to 86, and delivered 1.6x the QoS 0 fan-out and 1.07x the QoS 1 rate.
     */
    static int defaultLoops(int cores) {
        return Math.max(1, cores / 2);
    }

    /** The I/O flavour in use: "epoll" or "nio". */
    public String ioKind() {
        return channelClass == EpollServerSocketChannel.class ? "epoll" : "nio";
    }

    /**
     * Binds a listener; {@code tls} null for plain MQTT. Returns the bound address (the real
     * port when 0 was asked).
     *
     * @throws ListenException with a one-line reason when the address cannot be bound
     */
    public InetSocketAddress listen(String host, int port, ServerTls tls) {
        return bind(host, port, tls, null);
    }

    /**
     * Binds an MQTT over WebSocket listener at {@code ws://host:port/path}; {@code wss://} when
     * {@code tls} is given. Returns the bound address.
     *
     * @throws ListenException with a one-line reason when the address cannot be bound
     */
    public InetSocketAddress listenWebSocket(String host, int port, ServerTls tls, String path) {
        return bind(host, port, tls, Objects.requireNonNull(path, "path"));
    }

    private InetSocketAddress bind(String host, int port, ServerTls tls, String wsPath) {
        if (closed) {
            throw new IllegalStateException("server closed");
        }
        ServerBootstrap b = new ServerBootstrap()
                // a listener accepts on one of the connection loops rather than a thread of its own:
                // the accepted connection then starts on that loop or is handed to the next, where a
                // separate accept thread woke another thread for every connect (about a seventh of
                // the broker's CPU per connect when thousands arrive each second)
                .group(workerGroup, workerGroup)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                // no TCP_NODELAY child option: Netty's socket channels set it themselves on Linux (epoll
                // and NIO alike), and a second setsockopt per accepted connection is CPU for nothing
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(options.writeLowWaterBytes(), options.writeHighWaterBytes()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ChannelPipeline p = ch.pipeline();
                        if (tls != null) {
                            tls.addTo(p, ch); // the certificate current at accept: a reload serves the next connection
                        }
                        if (wsPath != null) {
                            WebSocketPipeline.addTo(p, wsPath, context.maxPacketBytes(),
                                    context.options().connectTimeoutMs(), context.metrics());
                        }
                        MqttFrameDecoder frames = new MqttFrameDecoder(context.maxPacketBytes(), context.metrics(),
                                context.keepAlive().clock());
                        p.addLast("decoder", frames);
                        p.addLast("mqtt", new MqttConnection(context, frames));
                    }
                });
        Channel ch;
        try {
            ch = b.bind(host, port).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new ListenException("cannot listen on " + host + ":" + port + ": " + reason(e), e);
        }
        synchronized (listeners) {
            listeners.add(ch);
        }
        return (InetSocketAddress) ch.localAddress();
    }

    /**
     * Whether CONNECTs are accepted (default true). A cluster node that is not the leader turns
     * it off: every CONNECT then gets CONNACK 3 (server unavailable) and the connection closes,
     * so a client with several endpoints moves on to the leader.
     */
    public void acceptClients(boolean accept) {
        acceptingClients = accept;
    }

    public boolean acceptsClients() {
        return acceptingClients;
    }

    /**
     * Closes every client connection at once (a leader that stepped down: the clients reconnect
     * to the new leader). Returns the number closed; does not wait.
     */
    public int closeConnections() {
        int n = connections.size();
        for (Channel c : connections) {
            // MQTT 5 clients read DISCONNECT 0x9C (use another server) first; the handler closes the channel
            c.pipeline().fireUserEventTriggered(ConnectionEvent.STEPPED_DOWN);
        }
        return n;
    }

    /** Connections currently open. */
    public int connectionCount() {
        return connections.size();
    }

    /** Bytes written to connections and not yet taken by the kernel, all connections together. */
    public long pendingWriteBytes() {
        long n = 0;
        for (Channel c : connections) {
            io.netty.channel.ChannelOutboundBuffer b = c.unsafe().outboundBuffer();
            if (b != null) {
                n += b.totalPendingWriteBytes();
            }
        }
        return n;
    }

    /**
     * Bytes of undecoded input the connections hold between reads (a partial packet, or input a
     * paced publisher's pacer holds back); an idle connection holds none. Racy reads of each
     * decoder's buffer from this thread: a figure for tests and metrics, not a decision.
     */
    public long heldReadBytes() {
        long n = 0;
        for (Channel c : connections) {
            MqttFrameDecoder d = c.pipeline().get(MqttFrameDecoder.class);
            if (d != null) {
                n += d.heldBytes();
            }
        }
        return n;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long timeout = options.shutdownTimeoutMs();
        synchronized (listeners) {
            for (Channel l : listeners) {
                if (!l.close().awaitUninterruptibly(timeout)) {
                    LOG.warn("listener {} did not close within {} ms", l.localAddress(), timeout);
                }
            }
        }
        if (!connections.close().awaitUninterruptibly(timeout)) {
            LOG.warn("{} connections did not close within {} ms", connections.size(), timeout);
        }
        authExecutor.shutdownNow();
        workerGroup.shutdownGracefully(0, timeout, TimeUnit.MILLISECONDS);
        if (!workerGroup.terminationFuture().awaitUninterruptibly(timeout)) {
            LOG.warn("MQTT event loops did not stop within {} ms", timeout);
        }
    }

    private static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (t instanceof BindException || (m != null && m.toLowerCase(Locale.ROOT).contains("already in use"))) {
                return m != null && m.toLowerCase(Locale.ROOT).contains("already in use")
                        ? "address already in use" : "cannot bind (" + m + ")";
            }
        }
        return String.valueOf(e.getMessage());
    }
}
