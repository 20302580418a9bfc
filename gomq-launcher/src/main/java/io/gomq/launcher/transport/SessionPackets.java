package io.gomq.launcher.transport;

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
import io.gomq.core.engine.BrokerEngine;
import io.gomq.core.engine.PayloadTooLargeException;
import io.gomq.core.log.DiskFullException;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.session.InboundQos2;
import io.gomq.core.session.Session;
import io.gomq.core.topic.InvalidTopicException;
import io.gomq.launcher.transport.TransportMetrics.Violation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * A connected client's packets to engine calls: PUBLISH with its QoS 1/2 handshakes, SUBSCRIBE,
 * UNSUBSCRIBE, PINGREQ, DISCONNECT. Acks that must wait until the engine's write is durable (in a
 * cluster: replicated) go through {@link OrderedAcks}.
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

    SessionPackets(BrokerEngine engine, Session session, MqttConnection conn, PacketWriter writer, OrderedAcks acks,
                   ConnectionPacer pacer) {
        this.engine = engine;
        this.session = session;
        this.conn = conn;
        this.writer = writer;
        this.acks = acks;
        this.pacer = pacer;
    }

    void onPacket(MqttPacket packet) {
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
                    try {
                        engine.publish(released, pacer); // once, however often PUBREL is re-sent
                    } catch (DiskFullException e) {
                        session.inbound().receive(id, released); // not stored: keep it; this PUBREL runs again
                        throw e;
                    }
                }
                // after the message and the session's release are durable (in a cluster: replicated)
                acks.ackWhen(engine.acknowledgementOfLogEnd(), PacketType.PUBCOMP, id);
            }
            case PUBCOMP -> session.onPubComp(((PubComp) packet).packetId());
            case SUBSCRIBE -> onSubscribe((Subscribe) packet);
            case UNSUBSCRIBE -> {
                Unsubscribe u = (Unsubscribe) packet;
                engine.unsubscribe(session, u.filters());
                acks.ackWhen(engine.acknowledgementOfLogEnd(), PacketType.UNSUBACK, u.packetId());
            }
            case PINGREQ -> writer.write(PingResp.INSTANCE);
            case DISCONNECT -> conn.disconnected();
            case CONNECT -> conn.violation(Violation.SECOND_CONNECT, "second CONNECT");
            default -> LOG.debug("ignoring {} from {}", packet.type(), conn.clientId());
        }
    }

    private void onPublish(Publish p) {
        Message m = Message.wrap(p.topic(), null, p.payload(), p.qos(), p.retain(), System.currentTimeMillis());
        try {
            engine.validate(m);
        } catch (InvalidTopicException e) {
            conn.violation(Violation.INVALID_TOPIC, e.getMessage());
            return;
        } catch (PayloadTooLargeException e) {
            conn.violation(Violation.PAYLOAD_TOO_LARGE, e.getMessage());
            return;
        }
        switch (p.qos()) {
            case AT_MOST_ONCE -> engine.publish(m, pacer);
            case AT_LEAST_ONCE -> {
                // a persistent engine has logged it when this returns; a cluster acks once it is replicated
                acks.ackWhen(engine.acknowledgement(engine.publishWithResult(m, pacer)), PacketType.PUBACK, p.packetId());
            }
            case EXACTLY_ONCE -> {
                if (session.inbound().receive(p.packetId(), m) == InboundQos2.Receipt.OVER_LIMIT) {
                    conn.violation(Violation.QOS2_OVER_LIMIT, "more unreleased QoS 2 messages than max-inflight");
                    return;
                }
                // a persistent session journaled it: in a cluster, PUBREC once that is replicated
                acks.ackWhen(engine.acknowledgementOfLogEnd(), PacketType.PUBREC, p.packetId());
            }
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
        acks.ackWhen(engine.acknowledgementOfLogEnd(), new SubAck(s.packetId(), returnCodes));
    }
}
