package io.gomq.launcher.transport;

import io.gomq.core.codec.Connect;
import io.gomq.core.codec.MqttPacket;
import io.gomq.core.codec.PacketType;
import io.gomq.core.codec.Disconnect;
import io.gomq.core.codec.PacketProperties;
import io.gomq.core.codec.ReasonCode;
import io.gomq.core.engine.BrokerClosedException;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.core.log.DiskFullException;
import io.gomq.core.log.LogException;
import io.gomq.core.message.Message;
import io.gomq.core.session.KeepAlive;
import io.gomq.core.session.Session;
import io.gomq.core.session.SessionOutput;
import io.gomq.launcher.transport.TransportMetrics.Violation;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One MQTT client connection, the Netty handler: the CONNECT handshake ({@link ConnectHandshake}),
 * then packets to engine calls ({@link SessionPackets}, acks in order by {@link OrderedAcks}), the
 * keep-alive, and the session's deliveries back to the socket. The connection's state lives here;
 * the parts move it through the package-private methods below.
 *
 * <p>Thread rules: everything runs on the channel's event loop, which is the session's owner
 * thread while this connection is attached, except {@link #wakeup()} and {@link #takenOver()}
 * (any thread; they only schedule work on the loop or close the channel). The password check
 * runs on the auth executor and hands its answer back to the loop.
 */
final class MqttConnection extends ChannelInboundHandlerAdapter implements SessionOutput, DiskWait.Owner, ClientDescription {
    private io.gomq.core.auth.TopicGate topicGate;
    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);

    private enum State { AWAITING_CONNECT, AUTHENTICATING, CONNECTED, CLOSED }

    private final TransportContext tc;
    private final BrokerEngine engine;
    private final TransportMetrics metrics;
    private final MqttFrameDecoder frames;
    private final Runnable drainTask = this::drain;
    private final ProtocolState protocol = new ProtocolState();
    private ChannelHandlerContext ctx;
    private Channel channel;
    private EventLoop loop;
    private PacketWriter writer;
    private ConnectionPacer pacer;
    private DiskWait diskWait;
    private PublishRate publishRate;
    private ConnectHandshake handshake;
    private OrderedAcks acks;
    private SessionPackets packets;
    private State state = State.AWAITING_CONNECT;
    private Session session;
    private String clientId;
    private boolean graceful;
    private boolean drainBlocked;
    /** 0: no keep-alive; otherwise watched by the context's {@link KeepAliveSweep} (before CONNECT: the connect timeout). */
    private long keepAliveNanos;
    private KeepAliveSweep.Watch keepAliveWatch;
    /** The TCP accept, on the broker's clock: a login back-off wait ends half the connect timeout after it. */
    private long acceptedNanos;
    /** Accepted beyond max-connections-per-ip: its CONNECT is refused. */
    private boolean overAddressLimit;
    /** When reads were last turned back on (Long.MIN_VALUE: never), on the broker's clock. */
    private long resumedNanos = Long.MIN_VALUE;
    /** For {@link ClientDescription}: read by the HTTP API's threads. */
    private volatile String userName;
    private volatile long connectedAtMillis;
    private volatile String protocolName;

    MqttConnection(TransportContext tc, MqttFrameDecoder frames) {
        this.tc = tc;
        this.engine = tc.engine();
        this.metrics = tc.metrics();
        this.frames = frames;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.channel = ctx.channel();
        this.loop = channel.eventLoop();
        this.writer = new PacketWriter(ctx, protocol, () -> engine.sessionWrites().durable(clientId));
        this.pacer = new ConnectionPacer(loop, engine.config().stuckSubscriberMs(), this::updateAutoRead,
                this::resumeReads);
        frames.pacedBy(pacer);
        this.publishRate = new PublishRate(tc.publishRate(), loop, tc.timers(), this::resumeAfterPublishRate);
        frames.alsoHoldWhile(publishRate::holding);
        this.diskWait = new DiskWait(loop, tc.timers(), engine.diskSpace(), engine.config().diskFullTimeoutMs(), this);
        this.handshake = new ConnectHandshake(tc, this, writer, channel, protocol);
        this.acks = new OrderedAcks(loop, writer, this::isConnected, this::ackRefused);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // the connect timeout: the keep-alive sweep closes it unless CONNECT and its session came in time (no
        // timer per connection); on the broker's clock, filed before the connection is counted: who sees it
        // counted may advance the clock
        acceptedNanos = tc.timers().clock().nanos();
        keepAliveWatch = tc.keepAlive().watch(loop, this);
        overAddressLimit = tc.connectLimiter().opened(channel);
        metrics.connectionsAccepted.increment();
        metrics.connectionsOpen.increment();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttPacket packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (diskWait.holding()) {
            if (!diskWait.hold(packet)) {
                LOG.info("closing {} ({}): more than {} packets while waiting for disk space", channel.remoteAddress(),
                        clientId, DiskWait.MAX_HELD);
                closeNow();
            }
            return;
        }
        handle(packet);
        engine.sessionWrites().pace(pacer); // the session store's writer far behind: read nothing more for now
        if (packet.type() == PacketType.PUBLISH && publishRate.onPublish()) {
            metrics.publishRatePauses.increment();
            updateAutoRead();
        }
    }

    /** Runs one packet; one the log refused for lack of disk space waits in {@link DiskWait}. False then. */
    @Override
    public boolean handle(MqttPacket packet) {
        try {
            onPacket(packet);
        } catch (DiskFullException e) {
            if (diskWait.refused(packet)) {
                metrics.diskFullWaits.increment();
                LOG.debug("{} ({}): {} waits for disk space: {}", channel.remoteAddress(), clientId, packet.type(), e.getMessage());
            }
            return false;
        } catch (BrokerClosedException e) {
            state = State.CLOSED;
            ctx.close();
        } catch (LogException e) {
            // a cluster node that is no longer the leader: its log refuses writes; never ack, close
            LOG.info("closing {} ({}): the log refused a write ({})", channel.remoteAddress(), clientId, e.getMessage());
            state = State.CLOSED;
            ctx.close();
        } catch (RuntimeException e) {
            LOG.warn("closing {} ({}): failed on {}", channel.remoteAddress(), clientId, packet, e);
            state = State.CLOSED;
            ctx.close();
        }
        return true;
    }

    @Override
    public boolean isOpen() {
        return state != State.CLOSED;
    }

    @Override
    public void readsChanged() {
        updateAutoRead();
        writer.flush(); // acks of the packets run again
    }

    /**
     * The disk stayed below its reserve for disk-full-timeout-ms: the held publishes are not
     * acknowledged and the connection closes; an MQTT 5 client reads DISCONNECT 0x97 (Quota exceeded).
     */
    @Override
    public void closeForDiskSpace(long waitedMs, int held) {
        LOG.info("closing {} ({}): no disk space for {} ms (disk-full-timeout-ms); {} packet(s) not acknowledged",
                channel.remoteAddress(), clientId, waitedMs, held);
        closeNoDiskSpace();
    }

    private void closeNoDiskSpace() {
        metrics.diskFullDisconnects.increment();
        closeWith(ReasonCode.QUOTA_EXCEEDED, "no disk space on the broker");
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        writer.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel.isWritable() && drainBlocked) {
            drainBlocked = false;
            drain();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        metrics.connectionsOpen.decrement();
        tc.connectLimiter().closed(channel);
        unwatch();
        writer.discard();
        handshake.discardHeld();
        handshake.abandonHandover();
        acks.clear();
        diskWait.clear();
        engine.discardHeld(pacer);
        Session s = session;
        session = null;
        if (s != null) {
            try {
                engine.disconnect(s, this, graceful);
            } catch (RuntimeException e) {
                LOG.warn("disconnect of {} failed", clientId, e);
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ConnectionEvent.STEPPED_DOWN) {
            closeWith(ReasonCode.USE_ANOTHER_SERVER, "this node is no longer the cluster leader");
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (channel.isActive()) {
            LOG.debug("closing {} ({}): {}", channel.remoteAddress(), clientId, cause.toString());
        }
        ctx.close();
    }

    // ---- inbound packets ----

    private void onPacket(MqttPacket packet) {
        switch (state) {
            case AWAITING_CONNECT -> {
                if (packet instanceof Connect c) {
                    handshake.onConnect(c);
                } else {
                    violation(Violation.CONNECT_NOT_FIRST, packet.type() + " before CONNECT");
                }
            }
            case AUTHENTICATING -> {
                if (packet instanceof Connect) {
                    violation(Violation.SECOND_CONNECT, "second CONNECT");
                } else {
                    handshake.hold(packet);
                }
            }
            case CONNECTED -> onSessionPacket(packet);
            case CLOSED -> { }
        }
    }

    TransportMetrics metrics() {
        return metrics;
    }

    /** The session's owner thread while this connection holds it. */
    EventLoop eventLoop() {
        return loop;
    }

    java.net.SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    ProtocolState protocol() {
        return protocol;
    }

    /** State CONNECTED: one packet for the session, to engine calls. */
    void onSessionPacket(MqttPacket packet) {
        if (session.output() != this) {
            return; // taken over: the session belongs to the new connection now; we are closing
        }
        packets.onPacket(packet);
    }

    // ---- state, as the handshake and the acks move it ----

    String clientId() {
        return clientId;
    }

    boolean isAuthenticating() {
        return state == State.AUTHENTICATING;
    }

    boolean isConnected() {
        return state == State.CONNECTED;
    }

    /** The CONNECT passed its checks and names {@code id}; the password check may follow. */
    void authenticating(String id) {
        clientId = id;
        state = State.AUTHENTICATING;
    }

    /** The session is attached: packets go to it from here on, and the connect timeout is off. */
    /** The rules this client is held to, known from its CONNECT (null: none). */
    void topicGate(io.gomq.core.auth.TopicGate gate) {
        this.topicGate = gate;
    }

    @Override
    public io.gomq.core.auth.TopicGate topicGate() {
        return topicGate;
    }

    void connected(Session attached) {
        connectedAtMillis = System.currentTimeMillis();
        protocolName = protocol.v5() ? "mqtt 5" : "mqtt 3.1.1";
        session = attached;
        packets = new SessionPackets(engine, attached, this, writer, acks, pacer, protocol, tc.authorization());
        state = State.CONNECTED;
        unwatch(); // the connect timeout is off; startKeepAlive watches the keep-alive
    }

    /** The user name the client authenticated as (null: none), before {@link #connected}. */
    void userName(String name) {
        userName = name;
    }

    @Override
    public String clientAddress() {
        return String.valueOf(channel.remoteAddress());
    }

    @Override
    public String clientUser() {
        return userName;
    }

    @Override
    public long clientSinceMillis() {
        return connectedAtMillis;
    }

    @Override
    public String clientProtocol() {
        return protocolName;
    }

    /** Refused: the CONNACK that says why is on its way, and the channel closes after it. */
    void markClosed() {
        state = State.CLOSED;
    }

    /** DISCONNECT: a graceful close, so the will is not published, unless an MQTT 5 client asked for it (0x04). */
    void disconnected(boolean discardWill) {
        graceful = discardWill;
        state = State.CLOSED;
        ctx.close();
    }

    /** A failure outside {@link #channelRead} (after the password check): close without a CONNACK. */
    void closeNow() {
        state = State.CLOSED;
        ctx.close();
    }

    /**
     * The log failed a message after taking it (its writer found the disk below the reserve, or
     * the node stepped down): no ack for it or anything after it. The client re-sends them on its
     * next connection; an MQTT 5 client reads why first.
     */
    private void ackRefused(PacketType type, int packetId, Throwable why) {
        LOG.info("closing {} ({}): {} {} will not be acknowledged ({})", channel.remoteAddress(), clientId,
                type, packetId, why == null ? "?" : String.valueOf(why.getMessage()));
        state = State.CLOSED;
        writer.flush(); // the acks before it are due
        if (why instanceof DiskFullException) {
            closeNoDiskSpace();
        } else {
            closeWith(ReasonCode.UNSPECIFIED_ERROR, "the broker could not store the message");
        }
    }

    void violation(Violation v, String why) {
        metrics.violation(v).increment();
        LOG.info("closing {} ({}): protocol violation, {} ({})", channel.remoteAddress(), clientId, v, why);
        closeWith(v.reason(), why);
    }

    /**
     * Closes the connection; an MQTT 5 client first gets a DISCONNECT with {@code reason} (and
     * the reason string, when it asked for problem information), 3.1.1 just the close.
     */
    void closeWith(ReasonCode reason, String why) {
        state = State.CLOSED;
        if (protocol.v5() && channel.isActive()) {
            PacketProperties props = why == null ? PacketProperties.NONE
                    : PacketProperties.builder().reasonString(why).build();
            writer.writeAndClose(new Disconnect(reason, props));
        } else {
            ctx.close();
        }
    }

    // ---- keep-alive ----

    void startKeepAlive(int seconds) {
        keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(KeepAlive.timeoutMillis(seconds));
        if (keepAliveNanos > 0) {
            keepAliveWatch = tc.keepAlive().watch(loop, this);
        }
    }

    private void unwatch() {
        if (keepAliveWatch != null) {
            keepAliveWatch.cancel();
            keepAliveWatch = null;
        }
    }

    /** Before CONNECT and its session: the connect timeout, counted from the accept. */
    private boolean awaitingSession() {
        return state == State.AWAITING_CONNECT || state == State.AUTHENTICATING;
    }

    /**
     * Asked by the keep-alive sweep on this connection's event loop, {@code now} on the broker's
     * clock: silent past the keep-alive limit, or still without a session at the connect timeout.
     */
    boolean silentTooLong(long now) {
        if (awaitingSession()) {
            return now - keepAliveDeadline() >= 0;
        }
        if (state != State.CONNECTED || !channel.config().isAutoRead()) {
            return false; // when we stopped reading (pacing), the silence is ours
        }
        return now - lastHeardNanos() >= keepAliveNanos;
    }

    void closeSilent(long now) {
        if (!silentTooLong(now)) {
            return;
        }
        if (awaitingSession()) {
            metrics.connectTimeouts.increment();
            LOG.debug("closing {}: no CONNECT within {} ms", channel.remoteAddress(), tc.options().connectTimeoutMs());
            ctx.close();
            return;
        }
        metrics.keepAliveTimeouts.increment();
        LOG.info("closing {} ({}): silent for {} ms, keep-alive limit {} ms", channel.remoteAddress(), clientId,
                TimeUnit.NANOSECONDS.toMillis(now - lastHeardNanos()), TimeUnit.NANOSECONDS.toMillis(keepAliveNanos));
        closeWith(ReasonCode.KEEP_ALIVE_TIMEOUT, null);
    }

    /** When its silence would reach the keep-alive limit, as heard until now (before CONNECT: the connect timeout). Event loop. */
    long keepAliveDeadline() {
        if (awaitingSession()) {
            return acceptedNanos + TimeUnit.MILLISECONDS.toNanos(tc.options().connectTimeoutMs());
        }
        return lastHeardNanos() + keepAliveNanos;
    }

    long acceptedNanos() {
        return acceptedNanos;
    }

    boolean overAddressLimit() {
        return overAddressLimit;
    }

    long keepAliveNanos() {
        return keepAliveNanos;
    }

    private long lastHeardNanos() {
        return Math.max(frames.lastReadNanos(), resumedNanos);
    }

    // ---- reads on/off: password check and pacing ----

    void updateAutoRead() {
        if (state == State.CLOSED) {
            return;
        }
        boolean read = state != State.AUTHENTICATING && !pacer.holdsReads() && !diskWait.holding()
                && !publishRate.holding();
        boolean was = channel.config().isAutoRead();
        if (read != was) {
            channel.config().setAutoRead(read);
            if (read) {
                resumedNanos = tc.keepAlive().clock().nanos();
            } else {
                metrics.pausedReads.increment();
            }
        }
    }

    /** The pacer resumed (on the loop): first what it held, then the undecoded rest of the last read, then reads. */
    private void resumeReads() {
        if (state == State.CLOSED) {
            return;
        }
        if (!engine.releaseHeld(pacer)) {
            return; // paced again: the next resume comes back here
        }
        frames.decodeHeld();
        updateAutoRead();
    }

    /** The publish rate allows the next PUBLISH: decode what waited, then read on. */
    private void resumeAfterPublishRate() {
        if (state != State.CLOSED) {
            frames.decodeHeld();
            updateAutoRead();
        }
    }

    // ---- deliveries (SessionOutput) ----

    @Override
    public void publish(Message message, int packetId, boolean dup) {
        writer.publish(message, packetId, dup);
        metrics.publishesSent.increment();
    }

    @Override
    public boolean accepts(Message message) {
        return writer.fits(message);
    }

    @Override
    public void pubRel(int packetId) {
        writer.ack(PacketType.PUBREL, packetId);
    }

    @Override
    public void wakeup() {
        try {
            loop.execute(drainTask);
        } catch (RejectedExecutionException e) {
            // the event loops are shutting down: nothing left to deliver to; never fail the publisher's thread
        }
    }

    @Override
    public CompletableFuture<Void> takenOver() {
        LOG.info("{}: taken over by a new connection; closing {}", clientId, channel.remoteAddress());
        CompletableFuture<Void> letGo = new CompletableFuture<>();
        try {
            // queued behind whatever this loop is doing with the session now; later tasks see it is not ours
            loop.execute(() -> {
                if (state == State.CONNECTED) {
                    closeWith(ReasonCode.SESSION_TAKEN_OVER, null); // MQTT 5: say why; the channel closes after it
                } else {
                    channel.close();
                }
                letGo.complete(null);
            });
        } catch (RejectedExecutionException e) {
            letGo.complete(null); // the loop has stopped: nothing runs on it any more
        }
        return letGo;
    }

    /** Moves queued deliveries to the socket while it takes them; one flush per batch. */
    private void drain() {
        Session s = session;
        if (state != State.CONNECTED || s == null || s.output() != this) {
            return;
        }
        if (!channel.isWritable()) {
            drainBlocked = true; // resumed by channelWritabilityChanged; the queue still counts a drain as pending
            writer.flush();
            return;
        }
        boolean again = s.drain(tc.options().drainBudget());
        writer.flush();
        if (again) {
            if (channel.isWritable()) {
                loop.execute(drainTask);
            } else {
                drainBlocked = true;
            }
        }
    }
}
