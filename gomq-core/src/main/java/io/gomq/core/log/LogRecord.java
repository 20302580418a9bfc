package io.gomq.core.log;

import io.gomq.core.message.Message;

/** One record read back from the log: the offset the log assigned and the stored message. */
public record LogRecord(long offset, Message message) {
}
