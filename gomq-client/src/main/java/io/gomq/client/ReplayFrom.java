package io.gomq.client;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Where a replay starts in the log (GoMQ's Kafka-like replay): earliest, latest, an offset or a time. Immutable. */
public final class ReplayFrom {
    /** The kinds of start. */
    public enum Kind {
        /** The oldest record retention kept. */
        EARLIEST,
        /** The end of the log: only what is appended from now on. */
        LATEST,
        /** A log offset. */
        OFFSET,
        /** The first record stored at or after a time. */
        TIMESTAMP
    }

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
                if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
                    return offset(Long.parseLong(s));
                }
                try {
                    return timestamp(Instant.parse(s));
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("replay start must be earliest, latest, an offset or an ISO-8601 time: '" + s + "'", e);
                }
        }
    }

    /** {@return the kind of start} */
    public Kind kind() { return kind; }

    /** {@return the offset of an {@link Kind#OFFSET} start, the epoch milliseconds of a {@link Kind#TIMESTAMP} one, else 0} */
    public long value() { return value; }

    /** {@return the form {@link #parse} reads: earliest, latest, an offset or an ISO-8601 instant} */
    @Override
    public String toString() {
        switch (kind) {
            case EARLIEST: case LATEST: return kind.name().toLowerCase(Locale.ROOT);
            case OFFSET: return Long.toString(value);
            default: return Instant.ofEpochMilli(value).toString();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplayFrom r && r.kind == kind && r.value == value;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Long.hashCode(value);
    }
}
