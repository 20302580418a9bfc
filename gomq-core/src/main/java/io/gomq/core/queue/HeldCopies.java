package io.gomq.core.queue;

import io.gomq.core.message.Message;

/**
 * The copies one paced publisher routed but a congested, still moving subscriber queue could
 * not take yet: held instead of dropped, offered again when the publisher resumes. At most
 * {@code limit}: a paced publisher reads nothing more, so it only ever holds copies of the one
 * message it was routing (one per congested target queue).
 *
 * <p>Thread rules: the publisher's own thread only. Arrays grown on demand (rare: one message
 * meeting several congested queues), nothing allocated per message.
 */
public final class HeldCopies {
    private final int limit;
    private SubscriberQueue[] queues = new SubscriberQueue[1];
    private Message[] messages = new Message[1];
    private int count;

    HeldCopies(int limit) {
        this.limit = limit;
    }

    /** Returns false (nothing held) when the limit is reached. */
    boolean add(SubscriberQueue queue, Message copy) {
        if (count == limit) {
            return false;
        }
        if (count == queues.length) {
            int n = Math.min(limit, count * 2);
            queues = java.util.Arrays.copyOf(queues, n);
            messages = java.util.Arrays.copyOf(messages, n);
        }
        queues[count] = queue;
        messages[count] = copy;
        count++;
        return true;
    }

    public int size() { return count; }
    public boolean isEmpty() { return count == 0; }
    public SubscriberQueue queueAt(int i) { return queues[i]; }
    public Message messageAt(int i) { return messages[i]; }

    /** Keeps entry {@code from} at {@code to} ({@code to <= from}): for compacting in place while offering again. */
    public void keep(int from, int to) {
        queues[to] = queues[from];
        messages[to] = messages[from];
    }

    /** Drops every entry from {@code n} on. */
    public void truncate(int n) {
        java.util.Arrays.fill(queues, n, count, null);
        java.util.Arrays.fill(messages, n, count, null);
        count = n;
    }
}
