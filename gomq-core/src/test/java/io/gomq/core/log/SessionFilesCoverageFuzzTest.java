package io.gomq.core.log;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gomq.core.session.store.SessionState;
import io.gomq.core.session.store.SessionStore;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.topic.SubscriptionOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.gomq.core.log.LogTestSupport.config;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing (Jazzer) of the session store's file readers: a valid
 * {@code sessions.snap} or {@code sessions.wal} (first input byte: which) damaged by the rest of
 * the input ({@link FileEdits}) is opened the way the broker does. Nothing may escape, and
 * every recovered session holds only values that were written.
 */
class SessionFilesCoverageFuzzTest {
    private static Path template;
    private static Path work;

    @BeforeAll
    static void writeStore() throws IOException {
        template = Files.createTempDirectory("gomq-session-fuzz");
        work = Files.createTempDirectory("gomq-session-fuzz-work");
        try (SessionStore s = SessionStore.open(config(template))) {
            for (int i = 0; i < 4; i++) {
                s.save(new SessionState("c" + i, Map.of(), 0, Map.of(), Map.of()));
                s.subscribe("c" + i, "f/" + i, SubscriptionOptions.of(Qos.AT_LEAST_ONCE));
                s.commitOffset("c" + i, 100 + i);
            }
        }
        SessionStore.open(config(template)).close(); // the four sessions into the snapshot
        try (SessionStore s = SessionStore.open(config(template))) { // and WAL updates after them
            s.putInbound("c1", 7, Message.builder("in/1").payload("q2").qos(Qos.EXACTLY_ONCE).build());
            s.commitOffset("c2", 110);
            s.unsubscribe("c3", "f/3");
            s.save(new SessionState("c4", Map.of(), 104, Map.of(), Map.of()));
        }
    }

    @AfterAll
    static void deleteFiles() {
        TornFiles.deleteTree(template);
        TornFiles.deleteTree(work);
    }

    @FuzzTest(maxDuration = "")
    void open(byte[] data) throws IOException {
        if (data.length == 0) {
            return;
        }
        TornFiles.deleteTree(work);
        TornFiles.copyTree(template, work);
        Path file = work.resolve((data[0] & 1) == 0 ? "sessions/sessions.snap" : "sessions/sessions.wal");
        Files.write(file, FileEdits.apply(Files.readAllBytes(file), java.util.Arrays.copyOfRange(data, 1, data.length), 8));
        try (SessionStore store = SessionStore.open(config(work))) {
            store.loadAll().forEach((id, s) -> {
                int i = Integer.parseInt(id.substring(1));
                long c = s.committedOffset();
                assertTrue(c == 100 + i || c == 0 || i == 2 && c == 110, id + " committed " + c + " was never written");
            });
        }
    }
}
