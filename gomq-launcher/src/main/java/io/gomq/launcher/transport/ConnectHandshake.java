package io.gomq.launcher.transport;

import io.gomq.core.codec.ConnAck;
import io.gomq.core.codec.Connect;
import io.gomq.core.codec.ConnectReturnCode;
import io.gomq.core.codec.MqttPacket;
import io.gomq.core.codec.PacketProperties;
import io.gomq.core.codec.ReasonCode;
import io.gomq.core.engine.BrokerClosedException;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.core.engine.PayloadTooLargeException;
import io.gomq.core.message.Message;
import io.gomq.core.session.SessionLimitException;
import io.gomq.core.session.SessionRegistry;
import io.gomq.core.topic.InvalidTopicException;
import io.gomq.core.auth.TopicGate;
import io.gomq.launcher.auth.AuditLog;
import io.gomq.launcher.auth.Authenticator;
import io.gomq.launcher.limits.LimitRefusal;
import io.gomq.launcher.tls.CertificateUser;
import io.gomq.launcher.transport.TransportMetrics.Violation;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;

/**
 * The CONNECT handshake of one {@link MqttConnection}: protocol and client id rules, the password
 * check, then the session attached and CONNACK 0, or a refusal with CONNACK 1 to 5 and a close.
 *
 * <p>Thread rules: event loop, except the password check, which runs on the auth executor and
 * hands its answer back to the loop. The connection's state stays in the connection; this class
 * moves it through AUTHENTICATING to CONNECTED or CLOSED.
 */
final class ConnectHandshake {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectHandshake.class);

    private final TransportContext tc;
    private final BrokerEngine engine;
    private final TransportMetrics metrics;
    private final MqttConnection conn;
    private final PacketWriter writer;
    private final Channel channel;
    private final EventLoop loop;
    private final ProtocolState protocol;
    /** Packets that arrived behind the CONNECT while its password was being checked. */
    private final ArrayDeque<MqttPacket> heldDuringAuth = new ArrayDeque<>(1); // empty but for a password check
    /** A connect that waits for the session's previous owner to let go, or null. */
    private SessionRegistry.Attached awaitingHandover;
    /** The client id the broker chose for a CONNECT with an empty one (CONNACK tells an MQTT 5 client), or null. */
    private String assignedId;
    /** The CONNECT's user name (null: anonymous), for the audit. */
    private String username;
    /** The topic rules of this client once its credentials passed; null without rules. */
    private TopicGate gate;

    ConnectHandshake(TransportContext tc, MqttConnection conn, PacketWriter writer, Channel channel, ProtocolState protocol) {
        this.protocol = protocol;
        this.tc = tc;
        this.engine = tc.engine();
        this.metrics = tc.metrics();
        this.conn = conn;
        this.writer = writer;
        this.channel = channel;
        this.loop = channel.eventLoop();
    }

    /** A packet behind the CONNECT while its password is checked: replayed once the session is attached. */
    void hold(MqttPacket packet) {
        heldDuringAuth.add(packet);
    }

    /** The connection closed: what was held is never handled. */
    void discardHeld() {
        heldDuringAuth.clear();
    }

    void onConnect(Connect c) {
        username = c.username();
        if (!c.isSupportedProtocol()) {
            refuse(ConnectReturnCode.UNACCEPTABLE_PROTOCOL_VERSION, "protocol " + c.protocolName() + "/" + c.protocolLevel());
            return;
        }
        if (c.isMqtt5()) {
            protocol.mqtt5(c.properties(), engine.config().maxTopicAliases()); // CONNACK and all after it at level 5
        }
        if (!tc.acceptingClients().getAsBoolean()) {
            refuse(ConnectReturnCode.SERVER_UNAVAILABLE, "this node is not the cluster leader");
            return;
        }
        LimitRefusal limited = tc.connectLimiter().admit(channel, conn.overAddressLimit());
        if (limited != null) {
            refuse(limited.reason(), "limit reached: " + limited.name().toLowerCase(java.util.Locale.ROOT));
            return;
        }
        if (c.properties().authenticationMethod() != null) {
            refuse(ReasonCode.BAD_AUTHENTICATION_METHOD, "enhanced authentication (" + c.properties().authenticationMethod()
                    + ") is not supported");
            return;
        }
        String id = c.clientId();
        if (id.isEmpty()) {
            if (!c.cleanSession() && !c.isMqtt5()) {
                refuse(ConnectReturnCode.IDENTIFIER_REJECTED, "empty client id with clean session 0");
                return;
            }
            id = tc.clientIds().next();
            assignedId = id;
        }
        conn.authenticating(id);
        String certUser = CertificateUser.of(channel);
        if (certUser != null) { // tls-identity-as-user: the CA vouched for this client, the certificate names the user
            username = certUser; // the ACL and the audit lines see the certificate's user
            accept(CertificateUser.replaceUser(c, certUser));
            return;
        }
        Authenticator auth = tc.authenticator();
        if (c.username() == null) {
            if (auth.allowsAnonymous()) {
                accept(c);
            } else {
                metrics.authFailures.increment();
                AuditLog.authenticationFailed(id, null, channel.remoteAddress(), "anonymous clients are not allowed");
                refuse(ConnectReturnCode.NOT_AUTHORIZED, "anonymous clients are not allowed");
            }
            return;
        }
        if (auth == Authenticator.open()) {
            accept(c);
            return;
        }
        conn.updateAutoRead(); // no reads while the password is checked: what arrived waits in heldDuringAuth
        // an address backing off after failed logins waits here, on timers, before its check
        tc.connectLimiter().whenCheckAllowed(channel, conn.acceptedNanos(), conn::isAuthenticating,
                () -> checkPassword(c, auth), r -> refuse(r.reason(), "too many failed logins from this address; retry later"));
    }

    private void checkPassword(Connect c, Authenticator auth) {
        try {
            tc.authExecutor().execute(() -> {
                boolean ok;
                try {
                    ok = auth.authenticate(c.username(), c.password());
                } catch (RuntimeException e) {
                    LOG.warn("authenticator failed for user {}", c.username(), e);
                    ok = false;
                }
                tc.connectLimiter().checked(channel, ok);
                boolean accepted = ok;
                try {
                    loop.execute(() -> {
                        try {
                            onAuthenticated(c, accepted);
                        } catch (RuntimeException e) {
                            LOG.warn("closing {} ({}): failed after the password check", channel.remoteAddress(),
                                    conn.clientId(), e);
                            conn.closeNow();
                        }
                    });
                } catch (RejectedExecutionException e) {
                    // shutting down while the password was checked: the connection is closing
                }
            });
        } catch (RejectedExecutionException e) {
            tc.connectLimiter().abandoned(channel);
            refuse(ConnectReturnCode.SERVER_UNAVAILABLE, "too many CONNECTs waiting for a password check");
        }
    }

    private void onAuthenticated(Connect c, boolean ok) {
        if (!conn.isAuthenticating()) {
            return; // closed meanwhile
        }
        if (!ok) {
            metrics.authFailures.increment();
            AuditLog.authenticationFailed(conn.clientId(), username, channel.remoteAddress(), "bad user name or password");
            refuse(ConnectReturnCode.BAD_USERNAME_OR_PASSWORD, "bad user name or password for " + c.username());
            return;
        }
        accept(c);
        conn.updateAutoRead();
    }

    private void accept(Connect c) {
        Message will = null;
        long willDelay = 0;
        if (c.will() != null) {
            Connect.Will w = c.will();
            will = Message.wrap(w.topic(), null, w.payload(), w.qos(), w.retain(), System.currentTimeMillis(),
                    w.properties(), conn.clientId());
            willDelay = w.willDelaySeconds();
        }
        if (!tc.acceptingClients().getAsBoolean()) { // stepped down during the password check
            refuse(ConnectReturnCode.SERVER_UNAVAILABLE, "this node is not the cluster leader");
            return;
        }
        gate = ConnectionGate.of(tc, username, conn.clientId(), channel.remoteAddress());
        conn.topicGate(gate); // before connect: a resumed session re-sends only what this client may read
        if (will != null && !ConnectionGate.mayPublish(gate, will.topic())) {
            refuse(ReasonCode.NOT_AUTHORIZED, "the will topic " + will.topic() + " is not writable for this client");
            return;
        }
        SessionRegistry.Attached attached;
        writer.hold(); // attaching re-sends in-flight messages; they must follow the CONNACK
        try {
            attached = engine.connect(conn.clientId(), c.cleanSession(), Mqtt5Connect.sessionExpiry(c, engine.config()),
                    will, willDelay, conn);
        } catch (SessionLimitException | BrokerClosedException e) {
            writer.discard();
            refuse(ConnectReturnCode.SERVER_UNAVAILABLE, e.getMessage());
            return;
        } catch (InvalidTopicException | PayloadTooLargeException e) {
            writer.discard();
            conn.violation(e instanceof InvalidTopicException ? Violation.INVALID_TOPIC : Violation.PAYLOAD_TOO_LARGE,
                    "will: " + e.getMessage());
            return;
        }
        if (attached.displaced() != null) {
            metrics.takeovers.increment();
            AuditLog.sessionTakenOver(conn.clientId(), username, channel.remoteAddress());
        }
        if (attached.attached()) {
            connected(c, attached);
            return;
        }
        // the displaced connection's loop may still be using the session: wait until it let go (reads
        // stay off and packets stay held meanwhile; the connect timeout bounds the wait)
        awaitingHandover = attached;
        attached.handover().whenComplete((v, e) -> {
            try {
                loop.execute(() -> afterHandover(c, attached));
            } catch (RejectedExecutionException shuttingDown) {
                // the loop is closing: so is this connection
            }
        });
    }

    private void afterHandover(Connect c, SessionRegistry.Attached attached) {
        if (awaitingHandover != attached || !conn.isAuthenticating()) {
            return; // closed meanwhile (abandonHandover ran)
        }
        awaitingHandover = null;
        if (!engine.attach(attached, conn)) {
            writer.discard();
            refuse(ConnectReturnCode.SERVER_UNAVAILABLE, "taken over by a newer connection of " + conn.clientId());
            return;
        }
        connected(c, attached);
        conn.updateAutoRead();
    }

    /** The connection closed while waiting for the previous owner of its session. */
    void abandonHandover() {
        SessionRegistry.Attached a = awaitingHandover;
        if (a != null) {
            awaitingHandover = null;
            engine.abandon(a, conn);
        }
    }

    private void connected(Connect c, SessionRegistry.Attached attached) {
        attached.session().topicGate(gate); // before the first drain: deliveries are checked against this client's rules
        conn.userName(c.username());
        conn.connected(attached.session());
        AuditLog.connectAccepted(conn.clientId(), username, channel.remoteAddress());
        attached.session().inflight().sendLimit(c.isMqtt5() && c.properties().receiveMaximum() > 0
                ? c.properties().receiveMaximum() : Integer.MAX_VALUE);
        int keepAlive = Mqtt5Connect.keepAlive(c, engine.config());
        writer.releaseAfter(c.isMqtt5()
                ? ConnAck.v5(attached.sessionPresent(), ReasonCode.SUCCESS,
                        Mqtt5Connect.connAckProperties(c, engine.config(), assignedId, tc.maxPacketBytes()))
                : new ConnAck(attached.sessionPresent(), ConnectReturnCode.ACCEPTED));
        conn.startKeepAlive(keepAlive);
        LOG.debug("{} connected from {} (clean={}, present={}, keepAlive={}s)", conn.clientId(), channel.remoteAddress(),
                c.cleanSession(), attached.sessionPresent(), c.keepAliveSeconds());
        MqttPacket p;
        while (conn.isConnected() && (p = heldDuringAuth.poll()) != null) {
            conn.onSessionPacket(p);
        }
        writer.flush();
    }

    private void refuse(ConnectReturnCode code, String why) {
        refuse(code == ConnectReturnCode.SERVER_UNAVAILABLE && !tc.acceptingClients().getAsBoolean()
                ? ReasonCode.USE_ANOTHER_SERVER : ConnAck.reasonFor(code), why);
    }

    /** Refuses with an MQTT 5 reason code; a 3.1.1 client reads the nearest return code. */
    private void refuse(ReasonCode reason, String why) {
        metrics.connectsRefused.increment();
        AuditLog.connectRefused(conn.clientId(), username, channel.remoteAddress(), why);
        LOG.info("refusing {} ({}): CONNACK {} - {}", channel.remoteAddress(), conn.clientId(),
                protocol.v5() ? "0x" + Integer.toHexString(reason.value()) : ConnAck.returnCodeFor(reason).value(), why);
        conn.markClosed();
        writer.writeAndClose(protocol.v5()
                ? ConnAck.v5(false, reason, protocol.problemInformation()
                        ? PacketProperties.builder().reasonString(why).build() : PacketProperties.NONE)
                : new ConnAck(false, ConnAck.returnCodeFor(reason)));
    }
}
