package io.gomq.embedded;

import io.gomq.core.log.MessageLog;

import java.time.Instant;

/** Where a replay starts in the log (GoMQ's Kafka-like replay): earliest, latest, an offset or a time. */
public final class ReplayFrom {
    private enum Kind { EARLIEST, LATEST, OFFSET, TIMESTAMP }

    private final Kind kind;
    private final long value;

    private ReplayFrom(Kind kind, long value) {
        this.kind = kind;
        this.value = value;
    }

    /** {@return the start of the log: the oldest record retention kept} */
    public static ReplayFrom earliest() { return new ReplayFrom(Kind.EARLIEST, 0); }
    /** {@return the end of the log: only what is appended from now on} */
    public static ReplayFrom latest() { return new ReplayFrom(Kind.LATEST, 0); }
    /**
     * A start at an offset; below the log's start, the start.
     *
     * @param offset a log offset, &gt;= 0
     * @return the start
     */
    public static ReplayFrom offset(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, was " + offset);
        }
        return new ReplayFrom(Kind.OFFSET, offset);
    }
    /**
     * A start at the first record stored at or after {@code time}.
     *
     * @param time the instant
     * @return the start
     */
    public static ReplayFrom timestamp(Instant time) { return new ReplayFrom(Kind.TIMESTAMP, time.toEpochMilli()); }

    /**
     * Parses "earliest", "latest", an offset, or an ISO-8601 instant.
     *
     * @param s the text
     * @return the start
     * @throws IllegalArgumentException naming the forms accepted
     */
    public static ReplayFrom parse(String s) {
        switch (s) {
            case "earliest": return earliest();
            case "latest": return latest();
            default:
                if (s.chars().allMatch(Character::isDigit) && !s.isEmpty()) {
                    return offset(Long.parseLong(s));
                }
                try {
                    return timestamp(Instant.parse(s));
                } catch (java.time.format.DateTimeParseException e) {
                    throw new IllegalArgumentException("replay start must be earliest, latest, an offset or an ISO-8601 time: '" + s + "'", e);
                }
        }
    }

    long resolve(MessageLog log) {
        switch (kind) {
            case EARLIEST: return log.startOffset();
            case LATEST: return log.endOffset();
            case OFFSET: return Math.max(value, log.startOffset());
            default: return log.offsetForTimestamp(value);
        }
    }

    @Override
    public String toString() {
        return kind == Kind.EARLIEST || kind == Kind.LATEST ? kind.name().toLowerCase(java.util.Locale.ROOT)
                : kind.name().toLowerCase(java.util.Locale.ROOT) + "=" + value;
    }
}
