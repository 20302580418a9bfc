package io.gomq.core.session;

import io.gomq.core.message.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A session output that records what the session sent, as a network client would see it. */
public final class RecordingOutput implements SessionOutput {
    public record Sent(String kind, Message message, int packetId, boolean dup) {
    }

    public final List<Sent> sent = new ArrayList<>();
    public final AtomicInteger wakeups = new AtomicInteger();
    public volatile boolean takenOver;
    /** What {@link #takenOver()} returns: replace it with an open future to play an owner that is still busy. */
    public volatile CompletableFuture<Void> letGo = CompletableFuture.completedFuture(null);
    /** Runs on the session's thread as each PUBLISH leaves: what happens elsewhere in the middle of a drain. */
    public volatile Consumer<Message> onPublish = m -> { };

    @Override
    public void publish(Message message, int packetId, boolean dup) {
        sent.add(new Sent("PUBLISH", message, packetId, dup));
        onPublish.accept(message);
    }

    @Override
    public void pubRel(int packetId) {
        sent.add(new Sent("PUBREL", null, packetId, false));
    }

    @Override
    public void wakeup() {
        wakeups.incrementAndGet();
    }

    @Override
    public CompletableFuture<Void> takenOver() {
        takenOver = true;
        return letGo;
    }

    public List<Sent> publishes() {
        return sent.stream().filter(s -> s.kind().equals("PUBLISH")).toList();
    }
}
