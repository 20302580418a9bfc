package io.gomq.launcher.cli;

import java.util.function.Predicate;

/** Pages through a topic's stored messages over HTTP GET /messages, from an offset. */
final class MessageReplay {
    static final int PAGE_SIZE = 500;

    private MessageReplay() {
    }

    /**
     * Hands each stored message to {@code sink} in offset order until the log is exhausted or the
     * sink returns false.
     *
     * @return false when the sink asked to stop
     */
    static boolean replay(HttpBrokerApi api, String topic, long from, Predicate<StoredMessage> sink) {
        long next = from;
        while (true) {
            MessagePage page = api.messages(topic, next, PAGE_SIZE);
            for (StoredMessage m : page.messages()) {
                if (!sink.test(m)) {
                    return false;
                }
            }
            // An empty page, or a server that does not move forward, ends the replay.
            if (page.messages().isEmpty() || page.next() <= next) {
                return true;
            }
            next = page.next();
        }
    }
}
