package io.gomq.core.replication;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The leader epochs of a cluster, oldest first: epoch {@code e} started writing at
 * {@code startOffset} (the new leader's log end when it won). A member whose newest records
 * come from epoch {@code e} may keep them only below the start of the next epoch: anything it
 * holds beyond is a suffix its old leader never replicated, and it is truncated away.
 */
public record EpochHistory(List<Epoch> epochs) {

    /** One leader term. */
    public record Epoch(long epoch, long startOffset) {
    }

    public EpochHistory {
        List<Epoch> sorted = new ArrayList<>(epochs);
        sorted.sort(Comparator.comparingLong(Epoch::epoch));
        epochs = List.copyOf(sorted);
    }

    public static EpochHistory of(Epoch... epochs) {
        return new EpochHistory(List.of(epochs));
    }

    public EpochHistory with(Epoch e) {
        List<Epoch> l = new ArrayList<>(epochs);
        l.removeIf(x -> x.epoch() == e.epoch());
        l.add(e);
        return new EpochHistory(l);
    }

    /**
     * Where the records of {@code epoch} end on the leader's log: the start of the first later
     * epoch, or {@code leaderEnd} if no later epoch exists (the leader's own).
     */
    public long endOffsetFor(long epoch, long leaderEnd) {
        for (Epoch e : epochs) {
            if (e.epoch() > epoch) {
                return Math.min(e.startOffset(), leaderEnd);
            }
        }
        return leaderEnd;
    }
}
