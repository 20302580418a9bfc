package io.gomq.launcher.transport;

/** User events the transport fires into a connection's pipeline. */
enum ConnectionEvent {
    /** This node stopped leading the cluster; its clients must move to the new leader. */
    STEPPED_DOWN
}
