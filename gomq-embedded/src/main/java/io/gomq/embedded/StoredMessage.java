package io.gomq.embedded;

import io.gomq.core.message.Message;

/** A message read back from the log, with its offset (stable across restarts and compaction). */
public record StoredMessage(long offset, Message message) {
}
