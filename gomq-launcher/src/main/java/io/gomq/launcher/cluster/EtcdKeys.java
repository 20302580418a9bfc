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
 * /gomq/&lt;cluster&gt;/users/&lt;name&gt;      the PBKDF2 hash string made by PasswordHasher (plain text), then
 *                                       optionally ":admin"
 * /gomq/&lt;cluster&gt;/acl/&lt;name&gt;        ACL lines in Mosquitto's acl_file syntax (plain text); all keys
 *                                       together, in key order, are the cluster's ACL
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

    public ByteSequence acl() {
        return bytes(root + "acl/");
    }

    public ByteSequence acl(String name) {
        return bytes(root + "acl/" + name);
    }

    public String userName(ByteSequence key) {
        return key.toString(StandardCharsets.UTF_8).substring((root + "users/").length());
    }

    public static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }
}
