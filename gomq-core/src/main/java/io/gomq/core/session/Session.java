package io.gomq.core.session;

import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.queue.QueueLimits;
import io.gomq.core.queue.SubscriberQueue;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker's state for one client id: its subscriptions, its queue of messages to deliver,
 * the QoS 1/2 exchanges in both directions, and its will.
 *
 * <p>Thread rules: publishers on any thread only offer to {@link #queue()}. Everything else
 * runs on the owner thread: the thread of the connection currently attached (a Netty event
 * loop, or an in-process consumer's serial executor). A reconnect moves ownership; the
 * registry hands over through a volatile field, and a detached connection is ignored.
 */
public final class Session {
    private final String clientId;
    private final boolean cleanSession;
    private final SubscriberQueue queue;
    private final InflightWindow inflight;
    private final InboundQos2 inbound;
    private final Map<String, Qos> subscriptions = new ConcurrentHashMap<>();
    /** Retained messages for new subscriptions: added by subscribe (any thread), drained by the owner. */
    private final MpscUnboundedXaddArrayQueue<Message> retainedBacklog = new MpscUnboundedXaddArrayQueue<>(64);
    private volatile SessionOutput output;
    private volatile Message will;
    private long deliveredCount;

    public Session(String clientId, boolean cleanSession, QueueLimits limits, int maxInflight) {
        this.clientId = clientId;
        this.cleanSession = cleanSession;
        this.queue = new SubscriberQueue(limits, this::wakeup);
        this.inflight = new InflightWindow(maxInflight);
        this.inbound = new InboundQos2(maxInflight);
    }

    public String clientId() { return clientId; }
    public boolean cleanSession() { return cleanSession; }
    public SubscriberQueue queue() { return queue; }
    public InflightWindow inflight() { return inflight; }
    public InboundQos2 inbound() { return inbound; }
    public boolean isOnline() { return output != null; }
    public SessionOutput output() { return output; }
    public Message will() { return will; }
    public void will(Message will) { this.will = will; }
    /** Filter to granted QoS. */
    public Map<String, Qos> subscriptions() { return subscriptions; }
    public long deliveredCount() { return deliveredCount; }

    /** Attaches a connection and re-sends what was in flight (DUP set; PUBREL for released QoS 2). */
    void attach(SessionOutput out) {
        output = out;
        for (int i = 0; i < inflight.size(); i++) {
            if (inflight.stateAt(i) == InflightWindow.SENT) {
                out.publish(inflight.messageAt(i), inflight.idAt(i), true);
            } else {
                out.pubRel(inflight.idAt(i));
            }
        }
        queue.wakeupNow();
    }

    /** Returns true if {@code out} was the attached connection. */
    boolean detach(SessionOutput out) {
        if (output != out) {
            return false;
        }
        output = null;
        return true;
    }

    /** Queues retained messages for a new subscription; they go out before live ones. Any thread. */
    public void addRetained(Collection<Message> retained) {
        for (Message m : retained) {
            retainedBacklog.offer(m);
        }
        if (!retained.isEmpty()) {
            queue.requestDrain();
        }
    }

    /**
     * Moves up to {@code budget} messages to the output. Owner thread. Returns true if the
     * caller must run it again later (more work, and room to take it).
     */
    public boolean drain(int budget) {
        SessionOutput out = output;
        if (out == null) {
            queue.endDrain(false);
            return false;
        }
        int n = 0;
        while (n < budget) {
            Message m = retainedBacklog.peek();
            boolean fromBacklog = m != null;
            if (!fromBacklog) {
                m = queue.peekForDrain();
                if (m == null) {
                    break;
                }
            }
            if (m.qos() != Qos.AT_MOST_ONCE && inflight.isFull()) {
                break;
            }
            if (fromBacklog) {
                retainedBacklog.poll();
            } else {
                queue.poll();
            }
            int packetId = m.qos() == Qos.AT_MOST_ONCE ? 0 : inflight.add(m);
            out.publish(m, packetId, false);
            n++;
        }
        deliveredCount += n;
        boolean canTakeMore = canTakeMore();
        boolean again = queue.endDrain(canTakeMore);
        return again || (canTakeMore && !retainedBacklog.isEmpty());
    }

    /** PUBACK from the subscriber. Returns false for an unknown packet id. Owner thread. */
    public boolean onPubAck(int packetId) {
        boolean wasFull = inflight.isFull();
        Message m = inflight.acknowledge(packetId);
        if (m != null && wasFull) {
            queue.requestDrain();
        }
        return m != null;
    }

    /** PUBREC from the subscriber: the caller answers PUBREL whatever this returns. Owner thread. */
    public boolean onPubRec(int packetId) {
        return inflight.received(packetId);
    }

    /** PUBCOMP from the subscriber. Owner thread. */
    public boolean onPubComp(int packetId) {
        boolean wasFull = inflight.isFull();
        Message m = inflight.complete(packetId);
        if (m != null && wasFull) {
            queue.requestDrain();
        }
        return m != null;
    }

    /** Drops all queued and in-flight state (the session ends). */
    void clear() {
        queue.clear();
        inflight.clear();
        inbound.clear();
        while (retainedBacklog.poll() != null) {
            // drop
        }
    }

    private boolean canTakeMore() {
        if (!inflight.isFull()) {
            return true;
        }
        Message next = retainedBacklog.isEmpty() ? queue.peekForDrain() : retainedBacklog.peek();
        return next != null && next.qos() == Qos.AT_MOST_ONCE;
    }

    private void wakeup() {
        SessionOutput out = output;
        if (out != null) {
            out.wakeup();
        }
    }

    @Override
    public String toString() {
        return "Session{" + clientId + (cleanSession ? ", clean" : ", persistent") + (isOnline() ? ", online" : ", offline") + '}';
    }
}
