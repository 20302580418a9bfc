package io.gomq.core.replication;

/**
 * A replication peer has a different view of the leader epoch: a member got a stream from an
 * older epoch than it follows, or a leader got a request from a member that has already seen a
 * newer epoch (so this leader is deposed).
 */
public final class FencedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long ourEpoch;
    private final long theirEpoch;

    public FencedException(String message, long ourEpoch, long theirEpoch) {
        super(message + " (our epoch " + ourEpoch + ", theirs " + theirEpoch + ")");
        this.ourEpoch = ourEpoch;
        this.theirEpoch = theirEpoch;
    }

    public long ourEpoch() {
        return ourEpoch;
    }

    public long theirEpoch() {
        return theirEpoch;
    }
}
