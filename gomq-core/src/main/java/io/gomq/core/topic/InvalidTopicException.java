package io.gomq.core.topic;

/** A topic name or filter that MQTT 3.1.1 (section 4.7) does not allow; the message says why. */
public final class InvalidTopicException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidTopicException(String message) {
        super(message);
    }
}
