package io.gomq.core.session;

import java.util.Collection;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The log offsets that shared subscription groups gave a persistent member and that it has not
 * taken for delivery yet. The log holds the messages; only this member may deliver them (the
 * group gave each to one member), so when the member reads the log instead of its queue (after
 * its queue overflowed, or after a restart) these offsets are what it reads for its shared
 * subscriptions. Offsets below the session's read position have been taken: they are pruned as
 * it acknowledges. Persistent members journal each offset before it is queued.
 *
 * <p>Thread rules: publishers add on any thread; the owner thread takes and prunes.
 */
final class AssignedShares {
    private final NavigableSet<Long> offsets = new ConcurrentSkipListSet<>();

    void add(long offset) {
        offsets.add(offset);
    }

    /** Whether {@code offset} was given to this member and not taken yet; it is taken now. */
    boolean take(long offset) {
        return !offsets.isEmpty() && offsets.remove(offset);
    }

    /** Forgets the offsets below {@code readPosition}: taken already. */
    void pruneBelow(long readPosition) {
        if (!offsets.isEmpty()) {
            offsets.headSet(readPosition, false).clear();
        }
    }

    void restore(Collection<Long> stored, long from) {
        for (Long o : stored) {
            if (o >= from) {
                offsets.add(o);
            }
        }
    }

    boolean isEmpty() {
        return offsets.isEmpty();
    }
}
