package io.gomq.core.delivery;

import io.gomq.core.engine.EngineMetrics;
import io.gomq.core.log.MessageLog;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.queue.HeldCopies;
import io.gomq.core.queue.OfferResult;
import io.gomq.core.queue.Pacer;
import io.gomq.core.queue.SubscriberQueue;
import io.gomq.core.retained.RetainedStore;
import io.gomq.core.session.Session;
import io.gomq.core.topic.Targets;
import io.gomq.core.topic.TopicTree;


/**
 * Fans one published message out to every matching session's queue.
 *
 * <p>Runs on the publisher's thread and allocates nothing in steady state: the match is cached
 * by the topic tree, the message is shared (downgraded copies are cached on the message),
 * queues are lock-free. A message that must be durable is handed to the log's writer thread,
 * which delivers it to persistent sessions once stored.
 */
public final class Router {
    private final TopicTree<Session> tree;
    private final RetainedStore retained;
    private final EngineMetrics metrics;
    private final MessageLog log;
    private final SharedSubscriptions shared;

    public Router(TopicTree<Session> tree, SharedSubscriptions shared, RetainedStore retained, EngineMetrics metrics,
                  MessageLog log) {
        this.tree = tree;
        this.shared = shared;
        this.retained = retained;
        this.metrics = metrics;
        this.log = log;
    }

    /**
     * Routes {@code message}; one that has to be durable is also handed to the log's writer.
     *
     * <p>Design note: a persisted message reaches persistent sessions from the log's writer
     * thread, once stored (under FSYNC: forced), in offset order ({@link PersistentFanOut}):
     * a persistent session's progress is one exact number, its next log offset, which is what
     * makes resuming after a restart exact. Clean sessions get their copies here, on the
     * publisher's thread, in the publisher's order and paced as any other copy; the publisher's
     * acknowledgement waits for the returned result's {@link PublishResult#pending() append}.
     * The log's refusal (disk full, not the leader) comes before anything is delivered.
     */
    public PublishResult routeDurably(Message message, Pacer pacer) {
        Targets<Session> targets = tree.match(message.topic());
        Targets<SharedGroup> groups = shared.isEmpty() ? null : shared.match(message.topic());
        if (log == null || !(needsLog(message, targets)
                || (groups != null && message.qos() != Qos.AT_MOST_ONCE && SharedSubscriptions.needsLog(groups)))) {
            return PublishResult.of(fanOut(message, targets, groups, pacer), Message.NO_OFFSET);
        }
        PersistentFanOut stored = new PersistentFanOut(this, message, targets, pacer);
        SharedGroup.Member[] picks = groups == null || groups.size() == 0 ? null : new SharedGroup.Member[groups.size()];
        for (int i = 0; picks != null && i < picks.length; i++) {
            SharedGroup.Member to = groups.subscriber(i).pick(null);
            if (to == null) {
                metrics.noSubscribers.increment();
            } else if (to.session().cleanSession()) {
                picks[i] = to; // delivered here
            } else {
                stored.addMember(to); // persistent: delivered by the log's writer, with the offset
            }
        }
        log.appendAsync(stored, pacer);
        metrics.publishes.record(message.payloadSize());
        int queued = fanOutToClean(message, targets, picks, pacer);
        if (targets.size() == 0 && picks == null) {
            metrics.noSubscribers.increment();
        }
        return PublishResult.pending(queued + stored.reach(), stored);
    }

    /** Publisher's thread: the copies of a persisted message for clean sessions and the clean shared picks. */
    private int fanOutToClean(Message message, Targets<Session> targets, SharedGroup.Member[] picks, Pacer pacer) {
        Message live = message.retain() ? message.withRetain(false) : message;
        int queued = 0;
        boolean options = targets.hasOptions();
        for (int i = 0; i < targets.size(); i++) {
            Session session = targets.subscriber(i);
            if (session.cleanSession()) {
                Message copy = options ? withSubscriptionOptions(message, live, targets, i, session) : live.withQos(targets.granted(i));
                if (copy != null) {
                    queued += deliver(session, copy, pacer);
                }
            }
        }
        for (int i = 0; picks != null && i < picks.length; i++) {
            if (picks[i] != null) {
                queued += deliverShared(picks[i], message, live, pacer);
            }
        }
        metrics.publishes.queued(queued);
        return queued;
    }

    /**
     * The log's writer thread, offset order, once {@code stored} is durable: the copies for
     * persistent sessions and the persistent shared picks. A copy their full queue refuses is not
     * lost (the session reads it from the log); a congested queue paces the publisher.
     */
    void fanOutStored(Message stored, Targets<Session> targets, java.util.List<SharedGroup.Member> members, Pacer pacer) {
        Message live = stored;
        if (stored.retain()) {
            retained.put(stored);
            live = stored.withRetain(false);
        }
        int queued = 0;
        boolean options = targets.hasOptions();
        for (int i = 0; i < targets.size(); i++) {
            Session session = targets.subscriber(i);
            if (!session.cleanSession()) {
                Message copy = options ? withSubscriptionOptions(stored, live, targets, i, session) : live.withQos(targets.granted(i));
                if (copy != null) {
                    queued += deliverFromWriter(session, copy, pacer);
                }
            }
        }
        for (int i = 0; members != null && i < members.size(); i++) {
            SharedGroup.Member to = members.get(i);
            Message copy = SharedDelivery.copyFor(to.options().retainAsPublished() ? stored : live, to.options());
            to.session().sharedAssigned(copy);
            queued += deliverFromWriter(to.session(), copy, pacer);
        }
        metrics.publishes.queued(queued);
    }

    /** {@link #deliver} off the publisher's thread: nothing can be held for it, so a refused QoS 0 copy is dropped. */
    private int deliverFromWriter(Session session, Message copy, Pacer pacer) {
        if (copy.qos() == Qos.AT_MOST_ONCE && !session.isOnline()) {
            metrics.skippedOffline.increment();
            return 0;
        }
        SubscriberQueue queue = session.queue();
        OfferResult result = queue.offer(copy);
        if (result == OfferResult.DROPPED) {
            if (copy.qos() != Qos.AT_MOST_ONCE) {
                session.queueOverflowed(); // a persisted QoS 1/2 copy: the session reads it from the log
                queue.requestDrain();
                return 1;
            }
            drop(copy);
            return 0;
        }
        if (result == OfferResult.ACCEPTED_CONGESTED && pacer != null && session.isOnline()) {
            pace(pacer, queue);
        }
        return 1;
    }

    /** Retained messages, and QoS 1/2 messages that a persistent session subscribes to at QoS 1/2. */
    private static boolean needsLog(Message message, Targets<Session> targets) {
        if (message.retain()) {
            return true;
        }
        if (message.qos() == Qos.AT_MOST_ONCE) {
            return false;
        }
        for (int i = 0; i < targets.size(); i++) {
            if (!targets.subscriber(i).cleanSession() && targets.granted(i) != Qos.AT_MOST_ONCE) {
                return true;
            }
        }
        return false;
    }

    /** The copy one subscriber gets under MQTT 5 subscription options, or null when No Local skips it. */
    private static Message withSubscriptionOptions(Message published, Message live, Targets<Session> targets, int i,
                                                   Session session) {
        Qos granted = targets.granted(i);
        if (published.origin() != null && published.origin().equals(session.clientId())) {
            granted = targets.grantedToOrigin(i);
            if (granted == null) {
                return null;
            }
        }
        Message copy = (targets.retainAsPublished(i) ? published : live).withQos(granted);
        return copy.withSubscriptionIds(targets.subscriptionIds(i));
    }

    /** {@code groups}: the shared subscriptions matching the topic, or null when there are none at all. */
    private int fanOut(Message message, Targets<Session> targets, Targets<SharedGroup> groups, Pacer pacer) {
        metrics.publishes.record(message.payloadSize());
        Message live = message;
        if (message.retain()) {
            retained.put(message);
            live = message.withRetain(false); // MQTT 3.3.1.3: live copies go out with RETAIN 0
        }
        int n = targets.size();
        if (n == 0 && (groups == null || groups.size() == 0)) {
            metrics.noSubscribers.increment();
            return 0;
        }
        int queued = 0;
        boolean options = targets.hasOptions();
        for (int i = 0; i < n; i++) {
            Session session = targets.subscriber(i);
            Message copy;
            if (options) {
                copy = withSubscriptionOptions(message, live, targets, i, session);
                if (copy == null) {
                    continue; // No Local: the publisher's own subscription
                }
            } else {
                copy = live.withQos(targets.granted(i));
            }
            queued += deliver(session, copy, pacer);
        }
        if (groups != null) {
            for (int i = 0; i < groups.size(); i++) {
                SharedGroup.Member to = groups.subscriber(i).pick(null);
                if (to == null) {
                    metrics.noSubscribers.increment();
                    continue;
                }
                queued += deliverShared(to, message, live, pacer);
            }
        }
        metrics.publishes.queued(queued);
        return queued;
    }

    /** Publisher's thread: the copy a shared group's pick gets. */
    private int deliverShared(SharedGroup.Member to, Message message, Message live, Pacer pacer) {
        Message copy = SharedDelivery.copyFor(to.options().retainAsPublished() ? message : live, to.options());
        to.session().sharedAssigned(copy);
        return deliver(to.session(), copy, pacer);
    }

    /** Offers one subscriber's copy; returns 1 when it is queued (or left to the log), 0 when not. */
    private int deliver(Session session, Message copy, Pacer pacer) {
        if (copy.qos() == Qos.AT_MOST_ONCE && !session.isOnline()) {
            metrics.skippedOffline.increment();
            return 0;
        }
        SubscriberQueue queue = session.queue();
        OfferResult result = queue.offer(copy);
        if (result == OfferResult.DROPPED) {
            if (copy.persisted() && copy.qos() != Qos.AT_MOST_ONCE && !session.cleanSession()) {
                session.queueOverflowed(); // not lost: the session reads it from the log
                queue.requestDrain();
                return 1;
            }
            if (pacer != null && queue.pacesPublishers()) {
                // a moving subscriber: the publisher outran its pacing; it holds the copy and is paced
                boolean held = pacer.hold(queue, heldCopy(copy, session));
                if (!held) {
                    drop(copy);
                }
                pace(pacer, queue);
                return held ? 1 : 0;
            }
            drop(copy);
            return 0;
        }
        if (result == OfferResult.ACCEPTED_CONGESTED && pacer != null && session.isOnline()) {
            pace(pacer, queue); // an offline session drains nothing: pacing for it would only stall the publisher
        }
        return 1;
    }

    /**
     * Offers the copies {@code pacer} holds again, on the publisher's thread, before it reads
     * anything more. A copy still refused by a moving subscriber stays held (the publisher is
     * paced again); one whose subscriber is stuck meanwhile is dropped. Returns true when the
     * publisher may go on: nothing is held and it is not paced.
     */
    public boolean releaseHeld(Pacer pacer) {
        HeldCopies held = pacer.held();
        if (held == null || held.isEmpty()) {
            return !pacer.isPaused();
        }
        int kept = 0;
        for (int i = 0; i < held.size(); i++) {
            SubscriberQueue queue = held.queueAt(i);
            Message copy = held.messageAt(i);
            OfferResult result = queue.offer(copy);
            if (result == OfferResult.DROPPED) {
                if (queue.pacesPublishers()) {
                    held.keep(i, kept++);
                    pace(pacer, queue);
                } else {
                    drop(copy);
                }
            } else if (result == OfferResult.ACCEPTED_CONGESTED) {
                pace(pacer, queue);
            }
        }
        held.truncate(kept);
        return kept == 0 && !pacer.isPaused();
    }

    /**
     * The publisher is gone (its connection closed): each held copy gets one last offer, without
     * pacing, and what is still refused is dropped (counted). Publisher's thread.
     */
    public void discardHeld(Pacer pacer) {
        HeldCopies held = pacer.held();
        if (held == null) {
            return;
        }
        for (int i = 0; i < held.size(); i++) {
            if (held.queueAt(i).offer(held.messageAt(i)) == OfferResult.DROPPED) {
                drop(held.messageAt(i));
            }
        }
        held.truncate(0);
    }

    /** Pauses {@code pacer} unless it is paused already, and registers it with the congested queue. */
    private void pace(Pacer pacer, SubscriberQueue queue) {
        if (pacer.pause()) {
            metrics.pacedPublishers.increment();
            queue.addPaced(pacer);
        }
    }

    private void drop(Message copy) {
        (copy.qos() == Qos.AT_MOST_ONCE ? metrics.droppedQos0 : metrics.droppedQos1).increment();
    }

    /**
     * A copy to offer later, out of log order: a persistent session skips logged copies below its
     * read position, so a (QoS 0) copy of a logged message goes as a plain one.
     */
    private static Message heldCopy(Message copy, Session session) {
        return copy.persisted() && !session.cleanSession() ? copy.withOffset(Message.NO_OFFSET) : copy;
    }
}

