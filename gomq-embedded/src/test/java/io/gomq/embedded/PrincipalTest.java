package io.gomq.embedded;

import io.gomq.client.Consumer;
import io.gomq.client.ConsumerOptions;
import io.gomq.client.MessageStream;
import io.gomq.client.NotAuthorizedException;
import io.gomq.client.Producer;
import io.gomq.client.Qos;
import io.gomq.core.auth.Access;
import io.gomq.core.auth.Principal;
import io.gomq.core.auth.TopicAuthorizer;
import io.gomq.core.auth.TopicPermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Producers and consumers given a principal are held to the broker's topic rules; the others are trusted. */
@Timeout(30)
class PrincipalTest {
    /** Each user reads and writes its own subtree only: "u/USER/...". */
    private static final TopicAuthorizer OWN_SUBTREE = new TopicAuthorizer() {
        @Override
        public TopicPermissions permissionsOf(Principal p) {
            String mine = "u/" + p.username() + "/";
            return new TopicPermissions() {
                @Override
                public boolean allows(Access access, String topic) {
                    return p.username() != null && topic.startsWith(mine);
                }

                @Override
                public boolean allowsSubscribe(String filter) {
                    return p.username() != null && (filter.startsWith(mine) || filter.equals("#"));
                }
            };
        }

        @Override
        public long version() {
            return 0;
        }
    };

    @Test
    void aPrincipalIsHeldToTheRulesAndTrustedCodeIsNot() throws Exception {
        try (GoMqBroker broker = GoMqBroker.start(EmbeddedConfig.builder().persistent(false).build())) {
            broker.internal().topicAuthorizer(OWN_SUBTREE);
            Producer alice = broker.producer("alice");
            Producer trusted = broker.producer();
            try (Consumer bob = broker.consumer(ConsumerOptions.defaults().principal("bob"));
                 Consumer root = broker.consumer()) {
                MessageStream bobs = bob.subscribe(List.of("#"), Qos.AT_LEAST_ONCE);
                MessageStream all = root.subscribe(List.of("#"), Qos.AT_LEAST_ONCE);
                assertThrows(NotAuthorizedException.class, () -> bob.subscribe(List.of("u/alice/#"), Qos.AT_LEAST_ONCE));

                ExecutionException refused = assertThrows(ExecutionException.class,
                        () -> alice.publish("u/bob/x", null, "forged".getBytes(), Qos.AT_LEAST_ONCE, false).get());
                assertInstanceOf(NotAuthorizedException.class, refused.getCause());
                alice.publish("u/alice/x", null, "hers".getBytes(), Qos.AT_LEAST_ONCE, false).get();
                trusted.publish("u/bob/y", null, "for bob".getBytes(), Qos.AT_LEAST_ONCE, false).get();

                assertEquals("u/alice/x", all.poll(Duration.ofSeconds(5)).topic(), "trusted code reads everything");
                assertEquals("u/bob/y", all.poll(Duration.ofSeconds(5)).topic());
                assertEquals("u/bob/y", bobs.poll(Duration.ofSeconds(5)).topic(), "alice's message was not for bob to read");
            }
        }
    }
}
