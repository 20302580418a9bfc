package io.gomq.launcher.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The JSON a node publishes in etcd, under its member key and (as leader) under the leader key.
 *
 * @param offset      the node's log end when published (candidates compare it in an election)
 * @param epoch       the epoch its log ends with
 * @param startOffset as leader: the log end when it won, where its epoch starts
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeInfo(String nodeId, String mqtt, String replication, String http, long offset, long epoch,
                       long startOffset) {
}
