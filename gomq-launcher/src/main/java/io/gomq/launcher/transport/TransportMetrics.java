package io.gomq.launcher.transport;

import io.gomq.core.codec.DecodeError;
import io.gomq.core.codec.ReasonCode;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The transport's counters, lock-free to increment from any event loop; bound into
 * {@code BrokerMetrics} and read at scrape time.
 */
public final class TransportMetrics {
    /**
     * Why a connection was closed for breaking the protocol, beyond what the decoder finds, with
     * the reason code an MQTT 5 client reads in the DISCONNECT before the close.
     */
    public enum Violation {
        CONNECT_NOT_FIRST(ReasonCode.PROTOCOL_ERROR),
        SECOND_CONNECT(ReasonCode.PROTOCOL_ERROR),
        INVALID_TOPIC(ReasonCode.TOPIC_NAME_INVALID),
        PAYLOAD_TOO_LARGE(ReasonCode.PACKET_TOO_LARGE),
        QOS2_OVER_LIMIT(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED),
        /** More unacknowledged QoS 1/2 PUBLISHes than the broker's Receive Maximum (MQTT 5). */
        RECEIVE_MAXIMUM_EXCEEDED(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED),
        /** A topic alias above the broker's maximum (MQTT 5; alias 0 is the decoder's TOPIC_ALIAS_INVALID). */
        TOPIC_ALIAS_ABOVE_MAXIMUM(ReasonCode.TOPIC_ALIAS_INVALID),
        /** A QoS 0 PUBLISH whose Payload Format Indicator promises UTF-8 it does not hold (MQTT 5). */
        PAYLOAD_FORMAT_INVALID(ReasonCode.PAYLOAD_FORMAT_INVALID),
        /** Other MQTT 5 rules: No Local on a shared subscription, a Session Expiry set at DISCONNECT after 0, AUTH. */
        PROTOCOL_ERROR(ReasonCode.PROTOCOL_ERROR),
        /** MQTT over WebSocket is binary frames only. */
        WEBSOCKET_TEXT_FRAME(ReasonCode.PROTOCOL_ERROR);

        private final ReasonCode reason;

        Violation(ReasonCode reason) {
            this.reason = reason;
        }

        /** The DISCONNECT reason code for an MQTT 5 client. */
        public ReasonCode reason() {
            return reason;
        }
    }

    public final LongAdder connectionsAccepted = new LongAdder();
    public final LongAdder connectionsOpen = new LongAdder();
    public final LongAdder connectsRefused = new LongAdder();
    public final LongAdder authFailures = new LongAdder();
    public final LongAdder connectTimeouts = new LongAdder();
    public final LongAdder keepAliveTimeouts = new LongAdder();
    public final LongAdder takeovers = new LongAdder();
    public final LongAdder bytesRead = new LongAdder();
    public final LongAdder publishesSent = new LongAdder();
    public final LongAdder pausedReads = new LongAdder();
    /** Times a connection began waiting because the log refused its publish for lack of disk space. */
    public final LongAdder diskFullWaits = new LongAdder();
    /** Connections closed after waiting disk-full-timeout-ms for disk space. */
    public final LongAdder diskFullDisconnects = new LongAdder();
    /** Refused by the topic rules, per action: publish, subscribe, receive (messages not delivered). */
    private final Map<String, LongAdder> authorizationDenied = Map.of(io.gomq.core.auth.TopicGate.PUBLISH, new LongAdder(),
            io.gomq.core.auth.TopicGate.SUBSCRIBE, new LongAdder(), io.gomq.core.auth.TopicGate.RECEIVE, new LongAdder());
    private final Map<DecodeError, LongAdder> malformed = new EnumMap<>(DecodeError.class);
    private final Map<Violation, LongAdder> violations = new EnumMap<>(Violation.class);

    public TransportMetrics() {
        for (DecodeError e : DecodeError.values()) {
            malformed.put(e, new LongAdder());
        }
        for (Violation v : Violation.values()) {
            violations.put(v, new LongAdder());
        }
    }

    public LongAdder malformed(DecodeError error) {
        return malformed.get(error);
    }

    /** @param action publish, subscribe or receive */
    public LongAdder authorizationDenied(String action) {
        return authorizationDenied.get(action);
    }

    public LongAdder violation(Violation v) {
        return violations.get(v);
    }

    /** Connections closed for a malformed packet or a protocol violation, all reasons. */
    public long malformedTotal() {
        long n = 0;
        for (LongAdder a : malformed.values()) {
            n += a.sum();
        }
        for (LongAdder a : violations.values()) {
            n += a.sum();
        }
        return n;
    }
}
