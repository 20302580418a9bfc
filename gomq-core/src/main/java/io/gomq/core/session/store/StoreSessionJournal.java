package io.gomq.core.session.store;

import io.gomq.core.topic.SubscriptionOptions;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import java.util.Map;

/**
 * {@link SessionJournal} over the durable {@link SessionStore}: every change is queued for the
 * store's writer at once, so {@link #flush} has nothing to do; what depends on a change waits
 * for {@link SessionStore#durable()}.
 */
public final class StoreSessionJournal implements SessionJournal {
    private final SessionStore store;

    public StoreSessionJournal(SessionStore store) {
        this.store = store;
    }

    @Override
    public void created(String clientId, long committedOffset) {
        store.save(new SessionState(clientId, Map.of(), committedOffset,
                Map.of(), Map.of()));
    }

    @Override
    public void removed(String clientId) {
        store.remove(clientId);
    }

    @Override
    public void expiry(String clientId, long expirySeconds, long disconnectedAtMillis) {
        store.expiry(clientId, expirySeconds, disconnectedAtMillis);
    }

    @Override
    public void will(String clientId, Message will, long delaySeconds) {
        store.will(clientId, will, delaySeconds);
    }

    @Override
    public void sharedAssigned(String clientId, long offset) {
        store.sharedAssigned(clientId, offset);
    }

    @Override
    public void subscribed(String clientId, String filter, SubscriptionOptions options) {
        store.subscribe(clientId, filter, options);
    }

    @Override
    public void unsubscribed(String clientId, String filter) {
        store.unsubscribe(clientId, filter);
    }

    @Override
    public void sent(String clientId, int packetId, long offset, Qos qos) {
        store.putInflight(clientId, packetId, offset, InflightState.SENT);
    }

    @Override
    public void released(String clientId, int packetId, long offset) {
        store.putInflight(clientId, packetId, offset, InflightState.PUBREL_SENT);
    }

    @Override
    public void completed(String clientId, int packetId, long readPosition) {
        store.removeInflight(clientId, packetId);
        store.commitOffset(clientId, readPosition);
    }

    @Override
    public void inboundStored(String clientId, int packetId, Message message) {
        store.putInbound(clientId, packetId, message);
    }

    @Override
    public void inboundReleased(String clientId, int packetId) {
        store.removeInbound(clientId, packetId);
    }
}
