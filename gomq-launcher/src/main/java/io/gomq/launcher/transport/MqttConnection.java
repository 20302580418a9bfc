package io.gomq.launcher.transport;

import io.gomq.core.codec.ConnAck;
import io.gomq.core.codec.Connect;
import io.gomq.core.codec.ConnectReturnCode;
import io.gomq.core.codec.MqttPacket;
import io.gomq.core.codec.PacketType;
import io.gomq.core.codec.PingResp;
import io.gomq.core.codec.PubAck;
import io.gomq.core.codec.PubComp;
import io.gomq.core.codec.PubRec;
import io.gomq.core.codec.PubRel;
import io.gomq.core.codec.Publish;
import io.gomq.core.codec.SubAck;
import io.gomq.core.codec.SubAckReturnCode;
import io.gomq.core.codec.Subscribe;
import io.gomq.core.codec.Unsubscribe;
import io.gomq.core.engine.BrokerClosedException;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.core.engine.PayloadTooLargeException;
import io.gomq.core.log.LogException;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.session.InboundQos2;
import io.gomq.core.session.KeepAlive;
import io.gomq.core.session.Session;
import io.gomq.core.session.SessionLimitException;
import io.gomq.core.session.SessionOutput;
import io.gomq.core.session.SessionRegistry;
import io.gomq.core.topic.InvalidTopicException;
import io.gomq.launcher.auth.Authenticator;
import io.gomq.launcher.transport.TransportMetrics.Violation;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One MQTT client connection: CONNECT handshake, then packets to engine calls, and the
 * session's deliveries back to the socket.
 *
 * <p>Thread rules: everything runs on the channel's event loop, which is the session's owner
 * thread while this connection is attached, except {@link #wakeup()} and {@link #takenOver()}
 * (any thread; they only schedule work on the loop or close the channel). The password check
 * runs on the auth executor and hands its answer back to the loop.
 */
final class MqttConnection extends ChannelInboundHandlerAdapter implements SessionOutput {
    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);

    private enum State { AWAITING_CONNECT, AUTHENTICATING, CONNECTED, CLOSED }

    /** An ack waiting for its gate: a fixed-size ack (type, id), or a whole packet such as a SUBACK. */
    private record PendingAck(PacketType type, int packetId, MqttPacket packet, CompletableFuture<Void> gate) {
    }

    private final TransportContext tc;
    private final BrokerEngine engine;
    private final TransportMetrics metrics;
    private final MqttFrameDecoder frames;
    private final Runnable drainTask = this::drain;
    /**
     * Acknowledgements waiting for their {@link io.gomq.core.engine.AckGate} (a cluster: replication),
     * oldest first. MQTT 4.6 wants PUBACKs in the order of their PUBLISHes, so an ack whose gate is
     * done still waits for the ones before it; {@link #releaseAcks} writes the done prefix.
     */
    private final ArrayDeque<PendingAck> pendingAcks = new ArrayDeque<>();
    private final Runnable releaseAcksTask = () -> releaseAcks(true);
    /** Packets that arrived behind the CONNECT while its password was being checked. */
    private final ArrayDeque<MqttPacket> pendingDuringAuth = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Channel channel;
    private EventLoop loop;
    private PacketWriter writer;
    private ConnectionPacer pacer;
    private State state = State.AWAITING_CONNECT;
    private Session session;
    private String clientId;
    private boolean graceful;
    private boolean drainBlocked;
    private ScheduledFuture<?> connectTimeout;
    private ScheduledFuture<?> keepAliveCheck;
    private long keepAliveMs;
    private long resumedNanos;

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
        this.writer = new PacketWriter(ctx);
        this.pacer = new ConnectionPacer(loop, engine.config().stuckSubscriberMs(), this::updateAutoRead);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        metrics.connectionsAccepted.increment();
        metrics.connectionsOpen.increment();
        connectTimeout = loop.schedule(() -> {
            if (state != State.CONNECTED && state != State.CLOSED) {
                metrics.connectTimeouts.increment();
                LOG.debug("closing {}: no CONNECT within {} ms", channel.remoteAddress(), tc.options().connectTimeoutMs());
                ctx.close();
            }
        }, tc.options().connectTimeoutMs(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttPacket packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            onPacket(packet);
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
        cancel(connectTimeout);
        cancel(keepAliveCheck);
        writer.discard();
        pendingDuringAuth.clear();
        pendingAcks.clear();
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
                    onConnect(c);
                } else {
                    violation(Violation.CONNECT_NOT_FIRST, packet.type() + " before CONNECT");
                }
            }
            case AUTHENTICATING -> {
                if (packet instanceof Connect) {
                    violation(Violation.SECOND_CONNECT, "second CONNECT");
                } else {
                    pendingDuringAuth.add(packet);
                }
            }
            case CONNECTED -> onSessionPacket(packet);
            case CLOSED -> { }
        }
    }

    private void onSessionPacket(MqttPacket packet) {
        if (session.output() != this) {
            return; // taken over: the session belongs to the new connection now; we are closing
        }
        switch (packet.type()) {
            case PUBLISH -> onPublish((Publish) packet);
            case PUBACK -> session.onPubAck(((PubAck) packet).packetId());
            case PUBREC -> {
                int id = ((PubRec) packet).packetId();
                session.onPubRec(id);
                writer.ack(PacketType.PUBREL, id);
            }
            case PUBREL -> {
                int id = ((PubRel) packet).packetId();
                Message released = session.inbound().release(id);
                if (released != null) {
                    engine.publish(released, pacer); // once, however often PUBREL is re-sent
                }
                // after the message and the session's release are durable (in a cluster: replicated)
                ackWhen(engine.acknowledgementOfLogEnd(), PacketType.PUBCOMP, id);
            }
            case PUBCOMP -> session.onPubComp(((PubComp) packet).packetId());
            case SUBSCRIBE -> onSubscribe((Subscribe) packet);
            case UNSUBSCRIBE -> {
                Unsubscribe u = (Unsubscribe) packet;
                engine.unsubscribe(session, u.filters());
                ackWhen(engine.acknowledgementOfLogEnd(), PacketType.UNSUBACK, u.packetId());
            }
            case PINGREQ -> writer.write(PingResp.INSTANCE);
            case DISCONNECT -> {
                graceful = true;
                state = State.CLOSED;
                ctx.close();
            }
            case CONNECT -> violation(Violation.SECOND_CONNECT, "second CONNECT");
            default -> LOG.debug("ignoring {} from {}", packet.type(), clientId);
        }
    }

    private void onPublish(Publish p) {
        Message m = Message.wrap(p.topic(), null, p.payload(), p.qos(), p.retain(), System.currentTimeMillis());
        try {
            engine.validate(m);
        } catch (InvalidTopicException e) {
            violation(Violation.INVALID_TOPIC, e.getMessage());
            return;
        } catch (PayloadTooLargeException e) {
            violation(Violation.PAYLOAD_TOO_LARGE, e.getMessage());
            return;
        }
        switch (p.qos()) {
            case AT_MOST_ONCE -> engine.publish(m, pacer);
            case AT_LEAST_ONCE -> {
                // a persistent engine has logged it when this returns; a cluster acks once it is replicated
                ackWhen(engine.acknowledgement(engine.publishWithResult(m, pacer)), PacketType.PUBACK, p.packetId());
            }
            case EXACTLY_ONCE -> {
                if (session.inbound().receive(p.packetId(), m) == InboundQos2.Receipt.OVER_LIMIT) {
                    violation(Violation.QOS2_OVER_LIMIT, "more unreleased QoS 2 messages than max-inflight");
                    return;
                }
                // a persistent session journaled it: in a cluster, PUBREC once that is replicated
                ackWhen(engine.acknowledgementOfLogEnd(), PacketType.PUBREC, p.packetId());
            }
        }
    }

    /** Writes the ack once {@code gate} completes and every earlier ack is written; a failed gate closes. */
    private void ackWhen(CompletableFuture<Void> gate, PacketType type, int packetId) {
        ackWhen(gate, type, packetId, null);
    }

    /** Like {@link #ackWhen(CompletableFuture, PacketType, int)} for an ack that is a whole packet (SUBACK). */
    private void ackWhen(CompletableFuture<Void> gate, MqttPacket packet) {
        ackWhen(gate, packet.type(), 0, packet);
    }

    private void ackWhen(CompletableFuture<Void> gate, PacketType type, int packetId, MqttPacket packet) {
        if (pendingAcks.isEmpty() && gate.isDone() && !gate.isCompletedExceptionally()) {
            writeAck(type, packetId, packet); // standalone: always this way
            return;
        }
        pendingAcks.add(new PendingAck(type, packetId, packet, gate));
        if (gate.isDone()) {
            releaseAcks(false);
        } else {
            gate.whenComplete((v, e) -> {
                try {
                    loop.execute(releaseAcksTask);
                } catch (RejectedExecutionException closing) {
                    // the event loops are shutting down: no ack goes out any more
                }
            });
        }
    }

    /** Event loop: writes the acks at the head whose gates are done, in order; a failed gate closes the connection. */
    private void releaseAcks(boolean flush) {
        PendingAck a;
        boolean wrote = false;
        while (state == State.CONNECTED && (a = pendingAcks.peek()) != null && a.gate().isDone()) {
            pendingAcks.poll();
            if (a.gate().isCompletedExceptionally()) {
                Throwable why = a.gate().handle((v, e) -> e).join();
                LOG.info("closing {} ({}): {} {} will not be acknowledged ({})", channel.remoteAddress(), clientId,
                        a.type(), a.packetId(), why == null ? "?" : String.valueOf(why.getMessage()));
                pendingAcks.clear();
                state = State.CLOSED;
                writer.flush(); // the acks before it are due
                ctx.close();
                return;
            }
            writeAck(a.type(), a.packetId(), a.packet());
            wrote = true;
        }
        if (wrote && flush) {
            writer.flush();
        }
    }

    private void writeAck(PacketType type, int packetId, MqttPacket packet) {
        if (packet != null) {
            writer.write(packet);
        } else {
            writer.ack(type, packetId);
        }
    }

    private void onSubscribe(Subscribe s) {
        List<String> filters = new ArrayList<>(s.subscriptions().size());
        List<Qos> qos = new ArrayList<>(s.subscriptions().size());
        for (Subscribe.Subscription sub : s.subscriptions()) {
            filters.add(sub.filter());
            qos.add(sub.qos());
        }
        int[] codes = engine.subscribe(session, filters, qos);
        List<SubAckReturnCode> returnCodes = new ArrayList<>(codes.length);
        for (int code : codes) {
            returnCodes.add(SubAckReturnCode.ofValue(code));
        }
        // once the subscription is durable (a cluster: the session record replicated), so that an
        // acknowledged subscription survives a failover; retained messages go out on the next drain
        ackWhen(engine.acknowledgementOfLogEnd(), new SubAck(s.packetId(), returnCodes));
    }

    // ---- CONNECT ----

    private void onConnect(Connect c) {
        if (!tc.acceptingClients().getAsBoolean()) {
            refuse(ConnectReturnCode.SERVER_UNAVAILABLE, "this node is not the cluster leader");
            return;
        }
        if (!c.isMqtt311()) {
            refuse(ConnectReturnCode.UNACCEPTABLE_PROTOCOL_VERSION, "protocol " + c.protocolName() + "/" + c.protocolLevel());
            return;
        }
        String id = c.clientId();
        if (id.isEmpty()) {
            if (!c.cleanSession()) {
                refuse(ConnectReturnCode.IDENTIFIER_REJECTED, "empty client id with clean session 0");
                return;
            }
            id = tc.clientIds().next();
        }
        clientId = id;
        state = State.AUTHENTICATING;
        Authenticator auth = tc.authenticator();
        if (c.username() == null) {
            if (auth.allowsAnonymous()) {
                accept(c);
            } else {
                metrics.authFailures.increment();
                refuse(ConnectReturnCode.NOT_AUTHORIZED, "anonymous clients are not allowed");
            }
            return;
        }
        if (auth == Authenticator.open()) {
            accept(c);
            return;
        }
        updateAutoRead(); // no reads while the password is checked: what arrived waits in pendingDuringAuth
        try {
            tc.authExecutor().execute(() -> {
                boolean ok;
                try {
                    ok = auth.authenticate(c.username(), c.password());
                } catch (RuntimeException e) {
                    LOG.warn("authenticator failed for user {}", c.username(), e);
                    ok = false;
                }
                boolean accepted = ok;
                try {
                    loop.execute(() -> {
                        try {
                            onAuthenticated(c, accepted);
                        } catch (RuntimeException e) {
                            LOG.warn("closing {} ({}): failed after the password check", channel.remoteAddress(), clientId, e);
                            state = State.CLOSED;
                            ctx.close();
                        }
                    });
                } catch (RejectedExecutionException e) {
                    // shutting down while the password was checked: the connection is closing
                }
            });
        } catch (RejectedExecutionException e) {
            refuse(ConnectReturnCode.SERVER_UNAVAILABLE, "too many CONNECTs waiting for a password check");
        }
    }

    private void onAuthenticated(Connect c, boolean ok) {
        if (state != State.AUTHENTICATING) {
            return; // closed meanwhile
        }
        if (!ok) {
            metrics.authFailures.increment();
            refuse(ConnectReturnCode.BAD_USERNAME_OR_PASSWORD, "bad user name or password for " + c.username());
            return;
        }
        accept(c);
        updateAutoRead();
    }

    private void accept(Connect c) {
        Message will = null;
        if (c.will() != null) {
            Connect.Will w = c.will();
            will = Message.wrap(w.topic(), null, w.payload(), w.qos(), w.retain(), System.currentTimeMillis());
        }
        if (!tc.acceptingClients().getAsBoolean()) { // stepped down during the password check
            refuse(ConnectReturnCode.SERVER_UNAVAILABLE, "this node is not the cluster leader");
            return;
        }
        SessionRegistry.Attached attached;
        writer.hold(); // attaching re-sends in-flight messages; they must follow the CONNACK
        try {
            attached = engine.connect(clientId, c.cleanSession(), will, this);
        } catch (SessionLimitException | BrokerClosedException e) {
            writer.discard();
            refuse(ConnectReturnCode.SERVER_UNAVAILABLE, e.getMessage());
            return;
        } catch (InvalidTopicException | PayloadTooLargeException e) {
            writer.discard();
            violation(e instanceof InvalidTopicException ? Violation.INVALID_TOPIC : Violation.PAYLOAD_TOO_LARGE,
                    "will: " + e.getMessage());
            return;
        }
        session = attached.session();
        state = State.CONNECTED;
        cancel(connectTimeout);
        if (attached.displaced() != null) {
            metrics.takeovers.increment();
        }
        writer.releaseAfter(new ConnAck(attached.sessionPresent(), ConnectReturnCode.ACCEPTED));
        startKeepAlive(c.keepAliveSeconds());
        LOG.debug("{} connected from {} (clean={}, present={}, keepAlive={}s)", clientId, channel.remoteAddress(),
                c.cleanSession(), attached.sessionPresent(), c.keepAliveSeconds());
        MqttPacket p;
        while (state == State.CONNECTED && (p = pendingDuringAuth.poll()) != null) {
            onSessionPacket(p);
        }
        writer.flush();
    }

    private void refuse(ConnectReturnCode code, String why) {
        metrics.connectsRefused.increment();
        LOG.info("refusing {} ({}): CONNACK {} - {}", channel.remoteAddress(), clientId, code.value(), why);
        state = State.CLOSED;
        writer.writeAndClose(new ConnAck(false, code));
    }

    private void violation(Violation v, String why) {
        metrics.violation(v).increment();
        LOG.info("closing {} ({}): protocol violation, {} ({})", channel.remoteAddress(), clientId, v, why);
        state = State.CLOSED;
        ctx.close();
    }

    // ---- keep-alive ----

    private void startKeepAlive(int seconds) {
        keepAliveMs = KeepAlive.timeoutMillis(seconds);
        if (keepAliveMs > 0) {
            keepAliveCheck = loop.schedule(this::checkKeepAlive, keepAliveMs, TimeUnit.MILLISECONDS);
        }
    }

    private void checkKeepAlive() {
        if (state != State.CONNECTED) {
            return;
        }
        if (!channel.config().isAutoRead()) { // we stopped reading (pacing): the silence is ours
            keepAliveCheck = loop.schedule(this::checkKeepAlive, keepAliveMs, TimeUnit.MILLISECONDS);
            return;
        }
        long lastHeard = Math.max(frames.lastReadNanos(), resumedNanos);
        long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastHeard);
        if (silentMs >= keepAliveMs) {
            metrics.keepAliveTimeouts.increment();
            LOG.info("closing {} ({}): silent for {} ms, keep-alive limit {} ms", channel.remoteAddress(), clientId,
                    silentMs, keepAliveMs);
            ctx.close();
        } else {
            keepAliveCheck = loop.schedule(this::checkKeepAlive, keepAliveMs - silentMs, TimeUnit.MILLISECONDS);
        }
    }

    // ---- reads on/off: password check and pacing ----

    private void updateAutoRead() {
        if (state == State.CLOSED) {
            return;
        }
        boolean read = state != State.AUTHENTICATING && !pacer.isPaused();
        boolean was = channel.config().isAutoRead();
        if (read != was) {
            channel.config().setAutoRead(read);
            if (read) {
                resumedNanos = System.nanoTime();
            } else {
                metrics.pausedReads.increment();
            }
        }
    }

    // ---- deliveries (SessionOutput) ----

    @Override
    public void publish(Message message, int packetId, boolean dup) {
        writer.publish(message, packetId, dup);
        metrics.publishesSent.increment();
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
    public void takenOver() {
        LOG.info("{}: taken over by a new connection; closing {}", clientId, channel.remoteAddress());
        channel.close();
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

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }
}
