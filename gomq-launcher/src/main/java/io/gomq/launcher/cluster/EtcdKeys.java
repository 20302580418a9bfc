package io.gomq.launcher.cluster;

import io.etcd.jetcd.ByteSequence;

import java.nio.charset.StandardCharsets;

/**
 * The etcd key layout of one cluster (all values JSON unless said otherwise):
 * <pre>
 * /gomq/&lt;cluster&gt;/members/&lt;nodeId&gt;  {nodeId, mqtt, replication, http, offset, epoch}   with the node's lease
 * /gomq/&lt;cluster&gt;/leader             {nodeId, mqtt, replication, http, startOffset}    with the leader's lease;
 *                                       its mod revision is the leader epoch
 * /gomq/&lt;cluster&gt;/epochs/&lt;nodeId&gt;@&lt;uuid&gt;  {nodeId, startOffset}  no lease, written in the election
 *                                       transaction; its create revision is the epoch (the epoch history)
 * /gomq/&lt;cluster&gt;/users/&lt;name&gt;      the PBKDF2 hash string made by PasswordHasher (plain text)
 * </pre>
 */
public final class EtcdKeys {
    private final String root;

    public EtcdKeys(String clusterName) {
        this.root = "/gomq/" + clusterName + "/";
    }

    public ByteSequence leader() {
        return bytes(root + "leader");
    }

    public ByteSequence member(String nodeId) {
        return bytes(root + "members/" + nodeId);
    }

    public ByteSequence members() {
        return bytes(root + "members/");
    }

    public ByteSequence epochs() {
        return bytes(root + "epochs/");
    }

    public ByteSequence epoch(String nodeId, String unique) {
        return bytes(root + "epochs/" + nodeId + "@" + unique);
    }

    public ByteSequence users() {
        return bytes(root + "users/");
    }

    public ByteSequence user(String name) {
        return bytes(root + "users/" + name);
    }

    public String userName(ByteSequence key) {
        return key.toString(StandardCharsets.UTF_8).substring((root + "users/").length());
    }

    public static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
