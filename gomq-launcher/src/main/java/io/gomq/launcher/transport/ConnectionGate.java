package io.gomq.launcher.transport;

import io.gomq.core.auth.Principal;
import io.gomq.core.auth.TopicGate;
import io.gomq.launcher.auth.AuditLog;

import java.net.SocketAddress;

/** Makes the {@link TopicGate} of one MQTT connection: every refusal counted in the metrics, each decision audited. */
final class ConnectionGate {
    private ConnectionGate() {
    }

    /** Whether a client may publish to {@code topic}: never to $SYS, and with rules only where they allow. */
    static boolean mayPublish(TopicGate gate, String topic) {
        return !Authorization.isBrokerOnly(topic) && (gate == null || gate.mayWrite(topic));
    }

    /** Null when the broker has no topic rules: the session then checks nothing. */
    static TopicGate of(TransportContext tc, String user, String clientId, SocketAddress address) {
        if (tc.authorization().authorizer() == null) {
            return null;
        }
        TransportMetrics m = tc.metrics();
        return new TopicGate(tc.authorization().authorizer(), new Principal(user, clientId),
                (p, action, topic, firstTime) -> {
                    m.authorizationDenied(action).increment();
                    if (firstTime) {
                        AuditLog.denied(p.clientId(), p.username(), address, topic, action);
                    }
                });
    }
}
