package io.gomq.launcher.cli;

/** One message of GET /messages: {@code {"offset":12,"key":"A","body":"hello","qos":1,"timestamp":1700000000000}}. */
public record StoredMessage(long offset, String key, String body, int qos, long timestamp) {
}
