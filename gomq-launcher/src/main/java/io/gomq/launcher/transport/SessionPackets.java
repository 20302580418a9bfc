package io.gomq.launcher.transport;

import io.gomq.client.PublishReceipt;
import io.gomq.core.codec.Disconnect;
import io.gomq.core.codec.MqttPacket;
import io.gomq.core.codec.PacketProperties;
import io.gomq.core.codec.PacketType;
import io.gomq.core.codec.PingResp;
import io.gomq.core.codec.PubAck;
import io.gomq.core.codec.PubComp;
import io.gomq.core.codec.PubRec;
import io.gomq.core.codec.PubRel;
import io.gomq.core.codec.Publish;
import io.gomq.core.codec.ReasonCode;
import io.gomq.core.codec.SubAck;
import io.gomq.core.codec.SubAckReturnCode;
import io.gomq.core.codec.Subscribe;
import io.gomq.core.codec.UnsubAck;
import io.gomq.core.codec.Unsubscribe;
import io.gomq.core.delivery.PublishResult;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.core.engine.PayloadTooLargeException;
import io.gomq.core.engine.RetainedLimitException;
import io.gomq.core.log.DiskFullException;
import io.gomq.core.message.Message;
import io.gomq.core.message.MessageProperties;
import io.gomq.core.message.Qos;
import io.gomq.core.session.InboundQos2;
import io.gomq.core.session.Session;
import io.gomq.core.topic.InvalidTopicException;
import io.gomq.core.topic.SubscriptionOptions;
import io.gomq.core.topic.Topics;
import io.gomq.launcher.auth.AuditLog;
import io.gomq.launcher.transport.TransportMetrics.Violation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A connected client's packets to engine calls: PUBLISH with its QoS 1/2 handshakes, SUBSCRIBE,
 * UNSUBSCRIBE, PINGREQ, DISCONNECT. Acks that must wait until the engine's write is durable (in a
 * cluster: replicated) go through {@link OrderedAcks}. For an MQTT 5 client also: topic aliases,
 * message properties, subscription options and identifiers, reason codes, and DISCONNECT's
 * session expiry and will request.
 *
 * <p>Thread rules: the channel's event loop, which owns the session while it is attached.
 */
final class SessionPackets {
    private static final Logger LOG = LoggerFactory.getLogger(SessionPackets.class);

    private final BrokerEngine engine;
    private final Session session;
    private final MqttConnection conn;
    private final PacketWriter writer;
    private final OrderedAcks acks;
    private final ConnectionPacer pacer;
    private final ProtocolState protocol;
    private final Authorization authorization;
    /** A PUBLISH to $SYS was audited on this connection already (no rules: no gate remembers it). */
    private boolean reservedDenialAudited;

    SessionPackets(BrokerEngine engine, Session session, MqttConnection conn, PacketWriter writer, OrderedAcks acks,
                   ConnectionPacer pacer, ProtocolState protocol, Authorization authorization) {
        this.authorization = authorization;
        this.engine = engine;
        this.session = session;
        this.conn = conn;
        this.writer = writer;
        this.acks = acks;
        this.pacer = pacer;
        this.protocol = protocol;
    }

    void onPacket(MqttPacket packet) {
        switch (packet.type()) {
            case PUBLISH -> onPublish((Publish) packet);
            case PUBACK -> session.onPubAck(((PubAck) packet).packetId());
            case PUBREC -> onPubRec((PubRec) packet);
            case PUBREL -> {
                int id = ((PubRel) packet).packetId();
                // once, however often PUBREL is re-sent; the loop does not wait for the log's writer
                CompletableFuture<Void> released = engine.releaseInbound(session, id, pacer, conn.eventLoop());
                // after the message and the session's release are durable (in a cluster: replicated)
                acks.ackWhen(released.isDone() && !released.isCompletedExceptionally() ? engine.acknowledgementOfLogEnd()
                        : released.thenCompose(v -> engine.acknowledgementOfLogEnd()), PacketType.PUBCOMP, id);
            }
            case PUBCOMP -> session.onPubComp(((PubComp) packet).packetId());
            case SUBSCRIBE -> onSubscribe((Subscribe) packet);
            case UNSUBSCRIBE -> onUnsubscribe((Unsubscribe) packet);
            case PINGREQ -> writer.write(PingResp.INSTANCE);
            case DISCONNECT -> onDisconnect((Disconnect) packet);
            case CONNECT -> conn.violation(Violation.SECOND_CONNECT, "second CONNECT");
            case AUTH -> conn.violation(Violation.PROTOCOL_ERROR, "AUTH without an authentication method at CONNECT");
            default -> LOG.debug("ignoring {} from {}", packet.type(), conn.clientId());
        }
    }

    private void onPubRec(PubRec rec) {
        int id = rec.packetId();
        session.onPubRec(id);
        if (protocol.v5() && rec.reasonCode() >= 0x80) {
            session.onPubComp(id); // MQTT 5: the subscriber refused it; the exchange ends without PUBREL
            return;
        }
        // a cluster sends PUBREL once the released state is replicated: a new leader must not
        // re-send the PUBLISH of an exchange the subscriber already completed
        acks.ackWhen(engine.acknowledgementOfLogEnd(), PacketType.PUBREL, id);
    }

    private void onPublish(Publish p) {
        String topic = p.topic();
        if (protocol.v5() && p.topicAlias() != 0) {
            String bad = protocol.aliases().checkInbound(p.topicAlias());
            if (bad != null) {
                conn.violation(Violation.TOPIC_ALIAS_ABOVE_MAXIMUM, bad);
                return;
            }
            topic = protocol.aliases().resolve(topic, p.topicAlias());
            if (topic == null) {
                conn.violation(Violation.PROTOCOL_ERROR, "topic alias " + p.topicAlias() + " was never set");
                return;
            }
        }
        if (!ConnectionGate.mayPublish(session.topicGate(), topic)) {
            deniedPublish(p, topic);
            return;
        }
        MessageProperties props = p.properties();
        if (Boolean.TRUE.equals(props.payloadUtf8()) && !MessageProperties.isWellFormedUtf8(p.payload())) {
            refusePublish(p, Violation.PAYLOAD_FORMAT_INVALID, "the payload format indicator says UTF-8, the payload is not");
            return;
        }
        Message m = Message.wrap(topic, props.key(), p.payload(), p.qos(), p.retain(), System.currentTimeMillis(), props,
                session.publishesNeedOrigin() ? session.clientId() : null);
        try {
            engine.validate(m);
        } catch (InvalidTopicException e) {
            conn.violation(Violation.INVALID_TOPIC, e.getMessage());
            return;
        } catch (PayloadTooLargeException e) {
            conn.violation(Violation.PAYLOAD_TOO_LARGE, e.getMessage());
            return;
        } catch (RetainedLimitException e) {
            refusePublish(p, Violation.RETAINED_LIMIT, e.getMessage());
            return;
        }
        if (p.qos() != Qos.AT_MOST_ONCE && protocol.v5() && !session.inbound().holds(p.packetId())
                && acks.pubAcksWaiting() + session.inbound().size() >= engine.config().receiveMaximum()) {
            conn.violation(Violation.RECEIVE_MAXIMUM_EXCEEDED,
                    "more unacknowledged QoS 1/2 PUBLISHes than the Receive Maximum " + engine.config().receiveMaximum());
            return;
        }
        switch (p.qos()) {
            case AT_MOST_ONCE -> engine.publish(m, pacer);
            case AT_LEAST_ONCE -> {
                // a persistent engine has logged it when this returns; a cluster acks once it is replicated
                PublishResult result = engine.publishWithResult(m, pacer);
                if (protocol.receiptOffsets() && result.persisted()) {
                    acks.ackWhen(engine.acknowledgement(result), PacketType.PUBACK, () -> offsetAck(p.packetId(), result));
                } else {
                    acks.ackWhen(engine.acknowledgement(result), PacketType.PUBACK, p.packetId());
                }
            }
            case EXACTLY_ONCE -> {
                if (session.inbound().receive(p.packetId(), m) == InboundQos2.Receipt.OVER_LIMIT) {
                    conn.violation(Violation.QOS2_OVER_LIMIT, "more unreleased QoS 2 messages than receive-maximum");
                    return;
                }
                // a persistent session journaled it: in a cluster, PUBREC once that is replicated
                acks.ackWhen(engine.acknowledgementOfLogEnd(), PacketType.PUBREC, p.packetId());
            }
        }
    }

    /** A PUBACK that tells where the message is in the log: known once the log's writer stored it, when the ack goes out. */
    private static PubAck offsetAck(int packetId, PublishResult stored) {
        return new PubAck(packetId, ReasonCode.SUCCESS, PacketProperties.builder()
                .userProperty(PublishReceipt.OFFSET_PROPERTY, Long.toString(stored.offset())).build());
    }

    /**
     * A PUBLISH the broker will not route: an MQTT 5 QoS 1/2 publisher gets the reason in its
     * PUBACK/PUBREC and stays connected; QoS 0 and 3.1.1 publishers are disconnected.
     */
    private void refusePublish(Publish p, Violation v, String why) {
        if (!protocol.v5() || p.qos() == Qos.AT_MOST_ONCE) {
            conn.violation(v, why);
            return;
        }
        PacketProperties props = protocol.problemInformation()
                ? PacketProperties.builder().reasonString(why).build() : PacketProperties.NONE;
        acks.ackWhen(io.gomq.core.engine.AckGate.DONE, p.qos() == Qos.AT_LEAST_ONCE
                ? new PubAck(p.packetId(), v.reason(), props) : new PubRec(p.packetId(), v.reason(), props));
    }

    /**
     * A PUBLISH the topic rules refuse is not routed. It is acknowledged as if it had been (3.1.1
     * has no way to say no; the client would resend it forever otherwise), an MQTT 5 client reads
     * 0x87 in its PUBACK/PUBREC; with close-on-denied-publish the connection closes instead.
     */
    private void deniedPublish(Publish p, String topic) {
        if (session.topicGate() == null || Authorization.isBrokerOnly(topic)) { // the gate counts and audits its own
            conn.metrics().authorizationDenied(io.gomq.core.auth.TopicGate.PUBLISH).increment();
            if (!reservedDenialAudited) {
                reservedDenialAudited = true;
                AuditLog.denied(session.clientId(), null, conn.remoteAddress(), topic, io.gomq.core.auth.TopicGate.PUBLISH);
            }
        }
        if (authorization.closeOnDeniedPublish()) {
            conn.closeWith(ReasonCode.NOT_AUTHORIZED, "not authorized to publish to " + topic);
            return;
        }
        if (p.qos() == Qos.AT_MOST_ONCE) {
            return;
        }
        if (!protocol.v5()) {
            acks.ackWhen(io.gomq.core.engine.AckGate.DONE,
                    p.qos() == Qos.AT_LEAST_ONCE ? PacketType.PUBACK : PacketType.PUBREC, p.packetId());
            return;
        }
        PacketProperties props = protocol.problemInformation()
                ? PacketProperties.builder().reasonString("not authorized to publish to " + topic).build()
                : PacketProperties.NONE;
        acks.ackWhen(io.gomq.core.engine.AckGate.DONE, p.qos() == Qos.AT_LEAST_ONCE
                ? new PubAck(p.packetId(), ReasonCode.NOT_AUTHORIZED, props)
                : new PubRec(p.packetId(), ReasonCode.NOT_AUTHORIZED, props));
    }

    private void onSubscribe(Subscribe s) {
        int subscriptionId = Math.max(0, s.properties().subscriptionIdentifier());
        List<String> filters = new ArrayList<>(s.subscriptions().size());
        List<SubscriptionOptions> options = new ArrayList<>(s.subscriptions().size());
        for (Subscribe.Subscription sub : s.subscriptions()) {
            if (sub.noLocal() && Topics.isShared(sub.filter())) {
                conn.violation(Violation.PROTOCOL_ERROR, "No Local on shared subscription " + sub.filter());
                return;
            }
            filters.add(sub.filter());
            options.add(new SubscriptionOptions(sub.qos(), sub.noLocal(), sub.retainAsPublished(), sub.retainHandling(),
                    subscriptionId));
        }
        int[] codes = engine.subscribeWithOptions(session, filters, options);
        SubAck ack;
        if (protocol.v5()) {
            List<ReasonCode> reasons = new ArrayList<>(codes.length);
            for (int i = 0; i < codes.length; i++) {
                reasons.add(codes[i] == BrokerEngine.SUBSCRIBE_NOT_AUTHORIZED ? ReasonCode.NOT_AUTHORIZED
                        : codes[i] != BrokerEngine.SUBSCRIBE_FAILURE ? ReasonCode.of(codes[i], PacketType.SUBACK)
                        : BrokerEngine.isReserved(filters.get(i)) ? ReasonCode.NOT_AUTHORIZED : ReasonCode.TOPIC_FILTER_INVALID);
            }
            ack = SubAck.v5(s.packetId(), reasons, PacketProperties.NONE);
        } else {
            List<SubAckReturnCode> returnCodes = new ArrayList<>(codes.length);
            for (int code : codes) {
                returnCodes.add(SubAckReturnCode.ofValue(Math.min(code, BrokerEngine.SUBSCRIBE_FAILURE))); // 3.1.1 has one failure code
            }
            ack = new SubAck(s.packetId(), returnCodes);
        }
        // once the subscription is durable (a cluster: the session record replicated), so that an
        // acknowledged subscription survives a failover; retained messages go out on the next drain
        acks.ackWhen(engine.acknowledgementOfLogEnd(), ack);
    }

    private void onUnsubscribe(Unsubscribe u) {
        boolean[] existed = engine.unsubscribe(session, u.filters());
        if (!protocol.v5()) {
            acks.ackWhen(engine.acknowledgementOfLogEnd(), PacketType.UNSUBACK, u.packetId());
            return;
        }
        List<ReasonCode> reasons = new ArrayList<>(existed.length);
        for (boolean e : existed) {
            reasons.add(e ? ReasonCode.SUCCESS : ReasonCode.NO_SUBSCRIPTION_EXISTED);
        }
        acks.ackWhen(engine.acknowledgementOfLogEnd(), new UnsubAck(u.packetId(), reasons, PacketProperties.NONE));
    }

    /** MQTT 5 DISCONNECT may change the session expiry (not from 0) and ask for the will (0x04). */
    private void onDisconnect(Disconnect d) {
        long expiry = d.properties().sessionExpiryInterval();
        if (protocol.v5() && expiry >= 0) {
            if (session.expirySeconds() == 0 && expiry > 0) {
                conn.violation(Violation.PROTOCOL_ERROR, "Session Expiry Interval set at DISCONNECT after 0 at CONNECT");
                return;
            }
            engine.sessions().expiry(session, Math.min(expiry, engine.config().maxSessionExpirySeconds()));
        }
        conn.disconnected(d.reasonCode() != ReasonCode.DISCONNECT_WITH_WILL_MESSAGE.value());
    }
}
