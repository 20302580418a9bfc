package io.gomq.launcher.cluster;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.gomq.core.auth.Access;
import io.gomq.core.auth.Principal;
import io.gomq.core.auth.TopicPermissions;
import io.gomq.launcher.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cluster's ACL in a real etcd: read at start, changes applied by the watch, a broken change refused. */
@Timeout(60)
class EtcdAclTest {
    @RegisterExtension
    static final EtcdExtension etcd = new EtcdExtension();

    private static final Principal ALICE = new Principal("alice", "a1");

    private static void put(Client admin, EtcdKeys keys, String name, String text) throws Exception {
        admin.getKVClient().put(keys.acl(name), ByteSequence.from(text, StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
    }

    @Test
    void rulesFollowTheKeysInEtcd() throws Exception {
        EtcdKeys keys = new EtcdKeys("acl");
        try (Client admin = Client.builder().endpoints(etcd.uri()).build();
             EtcdAcl acl = EtcdAcl.connect(List.of(etcd.uri()), "acl")) {
            assertSame(TopicPermissions.ALL, acl.permissionsOf(ALICE), "no key yet: everything allowed");

            long v = acl.version();
            put(admin, keys, "10-users", "pattern readwrite users/%u/#\n");
            Await.await("the watch applies the first key", () -> acl.version() > v);
            assertTrue(acl.permissionsOf(ALICE).allows(Access.WRITE, "users/alice/x"));
            assertFalse(acl.permissionsOf(ALICE).allows(Access.READ, "public/x"));

            long v2 = acl.version();
            put(admin, keys, "20-public", "topic read public/#\n");
            Await.await("the watch applies the second key", () -> acl.version() > v2);
            assertTrue(acl.permissionsOf(ALICE).allows(Access.READ, "public/x"), "keys are joined");

            String before = acl.toString();
            put(admin, keys, "30-broken", "topic read a/#/b\n");
            put(admin, keys, "40-marker", "topic read marker/#\n"); // still broken with 30: refused too
            admin.getKVClient().delete(keys.acl("30-broken")).get(5, TimeUnit.SECONDS);
            Await.await("the fixed ACL applies", () -> acl.permissionsOf(ALICE).allows(Access.READ, "marker/x"));
            assertTrue(acl.permissionsOf(ALICE).allows(Access.READ, "public/x"));
            assertEquals(before.replace("2 rules", "3 rules"), acl.toString());
        }
    }
}
