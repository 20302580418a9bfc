package io.gomq.core.delivery;

import io.gomq.core.log.LogAppend;
import io.gomq.core.message.Message;
import io.gomq.core.queue.Pacer;
import io.gomq.core.session.Session;
import io.gomq.core.topic.Targets;

import java.util.ArrayList;
import java.util.List;

/**
 * A message that must be durable, on its way through the log's writer: once it is stored (under
 * FSYNC: forced) the writer thread hands it, with its offset, to every persistent session among
 * its targets and to the persistent members its shared groups picked, in offset order.
 *
 * <p>Design note: persistent sessions take log-order copies only (a session's progress is its
 * next log offset, see {@code Session}), and the writer stores records in that order, so it
 * delivers them too. Clean sessions need no offset; the router gives them their copies on the
 * publisher's thread, in the publisher's order, without waiting for the disk.
 */
final class PersistentFanOut extends LogAppend {
    private final Router router;
    private final Targets<Session> targets;
    private final Pacer pacer;
    private final int persistentTargets;
    /** Shared groups' picks that are persistent sessions; null when there are none. */
    private List<SharedGroup.Member> members;

    PersistentFanOut(Router router, Message message, Targets<Session> targets, Pacer pacer) {
        super(message);
        this.router = router;
        this.targets = targets;
        this.pacer = pacer;
        int n = 0;
        for (int i = 0; i < targets.size(); i++) {
            if (!targets.subscriber(i).cleanSession()) {
                n++;
            }
        }
        this.persistentTargets = n;
    }

    /** A persistent member a shared group picked for this message. Publisher's thread, before the hand-over. */
    void addMember(SharedGroup.Member member) {
        if (members == null) {
            members = new ArrayList<>(2);
        }
        members.add(member);
    }

    /** The sessions this message will reach once stored. */
    int reach() {
        return persistentTargets + (members == null ? 0 : members.size());
    }

    @Override
    protected void onStored(Message stored) {
        router.fanOutStored(stored, targets, members, pacer);
    }
}
