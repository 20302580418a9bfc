package io.gomq.client;

/**
 * A message read back from the log, with its offset (stable across restarts and compaction).
 *
 * @param offset  the record's offset in the log
 * @param message the message
 */
public record StoredMessage(long offset, Message message) {
}
