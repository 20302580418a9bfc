package io.gomq.launcher.cluster;

/** The cluster could not be joined or etcd failed in a way the node cannot ride out. */
public final class ClusterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterException(String message, Throwable cause) {
        super(message, cause);
    }
}
