package io.gomq.core.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.gomq.core.log.LogTestSupport.config;
import static io.gomq.core.log.LogTestSupport.msg;
import static io.gomq.core.log.LogTestSupport.retainedMsg;
import static io.gomq.core.log.LogTestSupport.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class RetainedMessagesTest {
    @TempDir
    Path dir;

    @Test
    void shouldReplaceAndDeleteRetainedMessageWhenRepublishedAndTombstoned() {
        try (MessageLog log = MessageLog.open(config(dir))) {
            log.append(retainedMsg("a/b", "one"));
            assertEquals("one", text(log.retained("a/b")));
            long second = log.append(retainedMsg("a/b", "two"));
            assertEquals(second, log.retained("a/b").offset());
            assertEquals("two", text(log.retained("a/b")));
            log.append(msg("a/b", "not retained"));
            assertEquals("two", text(log.retained("a/b")));
            log.append(retainedMsg("a/b", ""));
            assertNull(log.retained("a/b"));
            assertEquals(0, log.retainedCount());
        }
    }

    @Test
    void shouldRestoreRetainedMessagesWhenReopened() {
        try (MessageLog log = MessageLog.open(config(dir))) {
            log.append(retainedMsg("x/1", "a"));
            log.append(retainedMsg("x/2", "b"));
            log.append(retainedMsg("x/1", "c"));
            log.append(retainedMsg("x/2", ""));
        }
        try (MessageLog log = MessageLog.open(config(dir))) {
            assertEquals("c", text(log.retained("x/1")));
            assertNull(log.retained("x/2"));
            assertEquals(1, log.retainedCount());
        }
    }

    @Test
    void shouldReturnNewestRetainedPerMatchingTopicWhenFilterHasWildcards() {
        try (MessageLog log = MessageLog.open(config(dir))) {
            for (int i = 0; i < 10_000; i++) {
                log.append(retainedMsg("sensors/" + i + "/temp", "t" + i));
            }
            log.append(retainedMsg("sensors/7/temp", "newest"));
            log.append(retainedMsg("sensors/7/hum", "h"));
            log.append(retainedMsg("sensors", "root"));
            log.append(retainedMsg("$SYS/uptime", "sys"));

            long t0 = System.nanoTime();
            List<LogRecord> temps = log.retainedMatching("sensors/+/temp");
            long micros = (System.nanoTime() - t0) / 1000;
            assertEquals(10_000, temps.size());
            assertTrue(micros < 200_000, "wildcard lookup took " + micros + " us");
            assertEquals("newest", text(log.retainedMatching("sensors/7/temp").get(0)));
            Set<String> seven = log.retainedMatching("sensors/7/#").stream().map(r -> r.message().topic())
                    .collect(Collectors.toSet());
            assertEquals(Set.of("sensors/7/temp", "sensors/7/hum"), seven);
            assertEquals(10_002, log.retainedMatching("sensors/#").size()); // includes the parent "sensors"
            assertEquals(10_002, log.retainedMatching("#").size());          // not $SYS
            assertEquals(1, log.retainedMatching("$SYS/#").size());
            assertTrue(log.retainedMatching("nothing/+").isEmpty());
        }
    }
}
