package io.gomq.core.session;

import io.gomq.core.auth.TopicGate;
import io.gomq.core.message.Message;
import io.gomq.core.queue.SubscriberQueue;
import io.gomq.core.session.store.SessionJournal;

import java.util.ArrayList;
import java.util.List;

/**
 * The subscriber's side of a session's QoS 1/2 exchanges: PUBACK, PUBREC and PUBCOMP move the
 * in-flight window (journaled for a persistent session), and a resuming client gets what is
 * still in flight again.
 *
 * <p>Thread rules: the session's owner thread.
 */
final class SessionAcks {
    private final Session session;
    private final String clientId;
    private final SubscriberQueue queue;
    private final InflightWindow inflight;
    private final SessionDelivery delivery;
    /** Null for a session that is not durable. */
    private final SessionJournal journal;
    private final boolean durable;

    SessionAcks(Session session, SubscriberQueue queue, InflightWindow inflight, SessionDelivery delivery,
                SessionJournal journal, boolean durable) {
        this.session = session;
        this.clientId = session.clientId();
        this.queue = queue;
        this.inflight = inflight;
        this.delivery = delivery;
        this.journal = journal;
        this.durable = durable;
    }

    /** On the new owner's thread, after {@link Session#own}: re-sends what was in flight (DUP set; PUBREL for released QoS 2). */
    void resend(SessionOutput out) {
        TopicGate gate = out.topicGate();
        if (gate != null) {
            session.topicGate(gate);
            dropUnreadable(gate);
        }
        for (int i = 0; i < inflight.size(); i++) {
            if (inflight.stateAt(i) == InflightWindow.SENT) {
                out.publish(inflight.messageAt(i), inflight.idAt(i), true);
            } else {
                out.pubRel(inflight.idAt(i));
            }
        }
        queue.wakeupNow();
    }

    /** In-flight entries a client resuming under other rules may not read end unsent, as if acknowledged (counted as denied). */
    private void dropUnreadable(TopicGate gate) {
        List<Integer> refused = new ArrayList<>();
        for (int i = 0; i < inflight.size(); i++) {
            if (inflight.stateAt(i) == InflightWindow.SENT && !gate.mayRead(inflight.messageAt(i).topic())) {
                refused.add(inflight.idAt(i));
            }
        }
        for (int id : refused) {
            if (!onPubAck(id)) { // QoS 2: released, then completed
                onPubRec(id);
                onPubComp(id);
            }
            delivery.denied();
        }
    }

    /**
     * Empties what this session still holds for delivery: its unacknowledged QoS 1/2 PUBLISHes
     * (not those the client already received: PUBREL sent) and its queue. For a shared
     * subscription member that leaves, so its share goes to the others. Owner thread, while
     * still attached.
     */
    List<Message> takeUndelivered() {
        List<Message> held = new ArrayList<>();
        for (int i = 0; i < inflight.size(); i++) {
            if (inflight.stateAt(i) == InflightWindow.SENT) {
                held.add(inflight.messageAt(i));
            }
        }
        Message m;
        while ((m = queue.poll()) != null) {
            held.add(m);
        }
        return held;
    }

    /** PUBACK from the subscriber. Returns false for an unknown packet id. Owner thread. */
    boolean onPubAck(int packetId) {
        boolean wasFull = inflight.isFull();
        Message m = inflight.acknowledge(packetId);
        if (m != null) {
            completed(packetId, wasFull);
        }
        return m != null;
    }

    /** PUBREC from the subscriber: the caller answers PUBREL whatever this returns. Owner thread. */
    boolean onPubRec(int packetId) {
        boolean known = inflight.received(packetId);
        if (known && journal != null) {
            journal.released(clientId, packetId, offsetOf(packetId));
        }
        return known;
    }

    /** PUBCOMP from the subscriber. Owner thread. */
    boolean onPubComp(int packetId) {
        boolean wasFull = inflight.isFull();
        Message m = inflight.complete(packetId);
        if (m != null) {
            completed(packetId, wasFull);
        }
        return m != null;
    }

    private void completed(int packetId, boolean wasFull) {
        if (durable) {
            session.publishFloor();
            session.shares().pruneBelow(delivery.nextLogOffset());
        }
        if (journal != null) {
            // Journal the read position, not the lowest unacknowledged offset: with acks out of
            // order, everything below the position is either in flight (journaled before it was
            // sent) or completed, so a restart resumes there and repeats nothing that completed.
            journal.completed(clientId, packetId, delivery.nextLogOffset());
        }
        if (wasFull) {
            queue.requestDrain();
        }
    }


    private long offsetOf(int packetId) {
        for (int i = 0; i < inflight.size(); i++) {
            if (inflight.idAt(i) == packetId) {
                return inflight.messageAt(i).offset();
            }
        }
        return Message.NO_OFFSET;
    }
}
