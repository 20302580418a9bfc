package io.gomq.launcher.limits;

import io.gomq.core.codec.ReasonCode;

/**
 * Why the transport refused a client for a limit, with the reason code an MQTT 5 client reads in
 * its CONNACK (a 3.1.1 client reads CONNACK 3, server unavailable). Counted in /metrics by kind.
 */
public enum LimitRefusal {
    /** More connections open from the address than max-connections-per-ip. */
    CONNECTIONS_PER_IP(ReasonCode.QUOTA_EXCEEDED),
    /** More CONNECTs per second from the address than connect-rate-per-ip. */
    CONNECT_RATE(ReasonCode.CONNECTION_RATE_EXCEEDED),
    /** The address failed to log in and its back-off did not end within half the connect timeout. */
    AUTH_BACKOFF(ReasonCode.CONNECTION_RATE_EXCEEDED);

    private final ReasonCode reason;

    LimitRefusal(ReasonCode reason) {
        this.reason = reason;
    }

    public ReasonCode reason() {
        return reason;
    }
}
