package io.gomq.launcher.cli;

import java.util.List;

/** A page of GET /messages: {@code {"topic":"A","messages":[...],"next":13}}; {@code next} is the offset to ask for next. */
public record MessagePage(String topic, List<StoredMessage> messages, long next) {
    public MessagePage {
        messages = messages == null ? List.of() : List.copyOf(messages);
    }
}
