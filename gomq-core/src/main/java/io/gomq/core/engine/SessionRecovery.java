package io.gomq.core.engine;

import io.gomq.core.topic.SubscriptionOptions;
import io.gomq.core.log.LogReader;
import io.gomq.core.log.LogRecord;
import io.gomq.core.log.MessageLog;
import io.gomq.core.session.store.InflightEntry;
import io.gomq.core.session.store.InflightState;
import io.gomq.core.session.store.SessionState;
import io.gomq.core.session.store.SessionStore;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.session.Session;
import io.gomq.core.session.SessionRegistry;
import io.gomq.core.topic.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/** Re-creates the persistent sessions stored before a restart, with their in-flight messages read back from the log. */
final class SessionRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRecovery.class);

    private SessionRecovery() {
    }

    static void restore(SessionStore store, MessageLog log, SessionRegistry registry, SessionTimers timers) {
        restore(store.loadAll().values(), log, registry, timers);
    }

    /**
     * Re-creates each of {@code states} (from the store, or from the log in a cluster), and
     * re-arms the expiry of those with an MQTT 5 Session Expiry Interval: counted from their
     * stored disconnect time, or from now when they were connected at the crash.
     */
    static void restore(java.util.Collection<SessionState> states, MessageLog log, SessionRegistry registry,
                        SessionTimers timers) {
        long t0 = System.nanoTime();
        int sessions = 0;
        int inflightCount = 0;
        int missing = 0;
        int wills = 0;
        for (SessionState state : states) {
            Map<Integer, Message> inflight = new HashMap<>();
            Map<Integer, Boolean> released = new HashMap<>();
            for (InflightEntry e : state.inflight().values()) {
                Message m = read(log, e.offset());
                if (m == null) {
                    missing++;
                    continue;
                }
                inflight.put(e.packetId(), m.withQos(deliveryQos(state.subscriptions(), m)));
                released.put(e.packetId(), e.state() == InflightState.PUBREL_SENT);
            }
            long from = Math.max(state.committedOffset(), log.startOffset());
            if (from > state.committedOffset() && !state.subscriptions().isEmpty()) { // a publisher's session reads nothing
                LOG.warn("session {}: log retention removed offsets {}..{} it had not received", state.clientId(),
                        state.committedOffset(), from - 1);
            }
            Session session = registry.restore(state.clientId(), from, state.subscriptions(), inflight, released,
                    state.inbound(), state.expirySeconds());
            long since = state.disconnectedAtMillis() < 0 ? 0 : registry.clock().millis() - state.disconnectedAtMillis();
            if (state.expirySeconds() != SessionState.NEVER) {
                timers.expireAfter(session, session.disconnects(), Math.max(0, state.expirySeconds() * 1000 - since));
            }
            session.restoreShares(state.sharedOffsets(), from);
            if (state.will() != null) {
                registry.restoreWill(session, state.will());
                long delayMillis = Math.min(state.willDelaySeconds(), state.expirySeconds()) * 1000;
                timers.willAfter(session, session.disconnects(), Math.max(0, delayMillis - since));
                wills++;
            }
            sessions++;
            inflightCount += inflight.size();
        }
        if (sessions > 0 || missing > 0) {
            LOG.info("restored {} persistent sessions ({} in-flight messages{}, {} wills waiting) in {} ms", sessions,
                    inflightCount, missing > 0 ? ", " + missing + " no longer in the log" : "", wills,
                    (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private static Message read(MessageLog log, long offset) {
        if (offset < 0) {
            return null;
        }
        try (LogReader reader = log.reader(offset)) {
            LogRecord r = reader.next();
            return r != null && r.offset() == offset ? r.message().withOffset(offset) : null;
        }
    }

    private static Qos deliveryQos(Map<String, SubscriptionOptions> subscriptions, Message m) {
        Qos best = null;
        for (Map.Entry<String, SubscriptionOptions> e : subscriptions.entrySet()) {
            Qos q = e.getValue().qos();
            String filter = Topics.isShared(e.getKey()) ? Topics.sharedFilter(e.getKey()) : e.getKey();
            if (Topics.matches(filter, m.topic()) && (best == null || q.ordinal() > best.ordinal())) {
                best = q;
            }
        }
        return best == null ? m.qos() : Qos.min(m.qos(), best);
    }
}
