package io.gomq.core.session.store;

/** Where an outgoing QoS>=1 delivery stands. */
public enum InflightState {
    /** PUBLISH sent, waiting for PUBACK (QoS 1) or PUBREC (QoS 2). */
    SENT,
    /** QoS 2: PUBREC received, PUBREL sent, waiting for PUBCOMP. */
    PUBREL_SENT
}
