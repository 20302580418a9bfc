package io.gomq.launcher.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.core.log.LogRecord;
import io.gomq.core.log.MessageLog;
import io.gomq.core.message.Message;
import io.gomq.core.message.MessageProperties;
import io.gomq.core.topic.InvalidTopicException;
import io.gomq.core.topic.Topics;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * GET /messages?topic=T&from=OFFSET&limit=N and GET /messages/T (T percent-decoded, slashes
 * allowed): a page of the topic's stored messages, oldest first,
 * {@code {"topic":"A","messages":[{"offset":12,"key":"A","body":"hello","qos":1,"retain":false,
 * "timestamp":1700000000000}],"next":13}}. {@code next} is the offset to ask for next: the last
 * offset + 1, or {@code from} when the page is empty. {@code from} defaults to the log's start,
 * {@code limit} to {@value #DEFAULT_LIMIT} (above {@value #MAX_LIMIT} it is capped).
 * A payload that is not valid UTF-8 comes with {@code "bodyBase64"} (exact bytes) next to a lossy
 * {@code "body"}.
 *
 *
 * <p>{@code filter=F} instead of a topic pages through every topic matching the filter F (the
 * remote client's replay): each message then names its {@code "topic"}, and a page reads at most
 * {@value #MAX_SCAN} records, so {@code next} may move on although the page is empty. {@code from}
 * also takes {@code earliest}, {@code latest} (the log's end: a pager then follows new appends) or
 * an ISO-8601 instant (the first record stored at or after it).
 *
 * <p>Memory-only broker (no log): GoMQ's meaning, the retained message of T, at offset -1, with
 * {@code next} = {@code from} so a pager stops after one page.
 *
 * <p>Thread rules: a worker thread (reads the log from disk; may check a password).
 */
final class MessagesHandler implements ApiHandler {
    static final String PREFIX = "/messages/";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /** Records one filter page reads at most (a filter that matches little must not read the whole log per request). */
    static final int MAX_SCAN = 10_000;

    private final BrokerEngine engine;
    private final HttpAccess access;

    MessagesHandler(BrokerEngine engine, HttpAccess access) {
        this.engine = engine;
        this.access = access;
    }

    /** One stored message; the MQTT 5 fields appear only when the publisher set them. */
    record MessageView(@JsonInclude(JsonInclude.Include.NON_NULL) String topic, long offset, String key, String body,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String bodyBase64,
                       int qos, boolean retain, long timestamp,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String contentType,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String responseTopic,
                       @JsonInclude(JsonInclude.Include.NON_NULL) Long messageExpirySeconds,
                       @JsonInclude(JsonInclude.Include.NON_EMPTY) List<List<String>> userProperties) {

        static MessageView of(long offset, Message m) {
            return of(null, offset, m);
        }

        static MessageView of(String topic, long offset, Message m) {
            String body;
            String base64 = null;
            try {
                body = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(m.payload()).toString();
            } catch (CharacterCodingException e) {
                body = m.payloadAsString();
                base64 = Base64.getEncoder().encodeToString(m.payloadBytes());
            }
            MessageProperties p = m.properties();
            return new MessageView(topic, offset, m.key(), body, base64, m.qos().value(), m.retain(), m.timestampMillis(),
                    p.contentType(), p.responseTopic(), p.expires() ? p.messageExpirySeconds() : null,
                    p.userProperties().stream().map(u -> List.of(u.name(), u.value())).toList());
        }
    }

    record PageView(@JsonInclude(JsonInclude.Include.NON_NULL) String topic,
                    @JsonInclude(JsonInclude.Include.NON_NULL) String filter, List<MessageView> messages, long next) {
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        access.caller(request); // 401 before anything else
        String filter = request.queryParam("filter");
        String topic = filter == null ? topic(request) : null;
        if (filter != null) {
            filter = filter(filter);
        } else {
            access.requireRead(request, topic);
        }
        int limit = limit(request.queryParam("limit"));
        String fromText = request.queryParam("from");
        if (engine.isClosed()) {
            throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "broker is closed");
        }
        MessageLog log = engine.log();
        if (log == null) {
            if (filter != null) {
                throw new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "replay needs the durable log: this broker runs memory-only");
            }
            return ApiResponse.ok(retainedPage(topic, offset(fromText)));
        }
        Long from = from(fromText, log);
        return ApiResponse.ok(filter != null ? filterPage(log, filter, access.readable(request), from, limit)
                : logPage(log, topic, from, limit));
    }

    private static PageView filterPage(MessageLog log, String filter, java.util.function.Predicate<String> readable,
                                       Long from, int limit) {
        long start = from != null ? from : log.startOffset();
        List<MessageView> views = new ArrayList<>();
        try (io.gomq.core.log.LogReader reader = log.reader(Math.max(start, log.startOffset()))) {
            LogRecord r;
            for (int scanned = 0; views.size() < limit && scanned < MAX_SCAN && (r = reader.next()) != null; scanned++) {
                String t = r.message().topic();
                if (Topics.matches(filter, t) && !io.gomq.core.engine.BrokerEngine.isReserved(t) && readable.test(t)) {
                    views.add(MessageView.of(t, r.offset(), r.message()));
                }
            }
            return new PageView(null, filter, views, Math.max(start, reader.position()));
        }
    }

    private static String filter(String filter) {
        if (filter.isEmpty() || filter.startsWith(Topics.SHARE_PREFIX)) {
            throw ApiException.badRequest("filter must be a topic filter (not a shared one)");
        }
        try {
            return Topics.validateFilter(filter);
        } catch (InvalidTopicException e) {
            throw ApiException.badRequest("invalid filter: " + e.getMessage());
        }
    }

    /** {@code from}: an offset, earliest, latest or an ISO-8601 instant; null: the log's start. */
    private static Long from(String text, MessageLog log) {
        if (text == null || text.isBlank()) {
            return null;
        }
        switch (text.strip()) {
            case "earliest": return log.startOffset();
            case "latest": return log.endOffset();
            default:
                if (text.strip().matches("[-+]?\\d+")) {
                    return offset(text);
                }
                try {
                    return log.offsetForTimestamp(java.time.Instant.parse(text.strip()).toEpochMilli());
                } catch (java.time.format.DateTimeParseException e) {
                    throw ApiException.badRequest("from must be earliest, latest, an offset or an ISO-8601 time, got '"
                            + (text.length() > 30 ? text.substring(0, 30) + "..." : text) + "'");
                }
        }
    }

    private static PageView logPage(MessageLog log, String topic, Long from, int limit) {
        long start = from != null ? from : log.startOffset();
        List<LogRecord> records = log.readTopic(topic, start, limit);
        List<MessageView> views = new ArrayList<>(records.size());
        for (LogRecord r : records) {
            views.add(MessageView.of(r.offset(), r.message()));
        }
        long next = records.isEmpty() ? start : records.get(records.size() - 1).offset() + 1;
        return new PageView(topic, null, views, next);
    }

    private PageView retainedPage(String topic, Long from) {
        Message m = engine.retained().get(topic);
        List<MessageView> views = m == null ? List.of() : List.of(MessageView.of(-1, m));
        return new PageView(topic, null, views, from != null ? from : 0);
    }

    private static String topic(ApiRequest request) {
        String topic;
        if (request.rawPath().startsWith(PREFIX)) {
            try {
                topic = request.pathAfter(PREFIX);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("malformed percent-encoding in the topic");
            }
        } else {
            topic = request.queryParam("topic");
        }
        if (topic == null || topic.isEmpty()) {
            throw ApiException.badRequest("missing topic: use /messages?topic=T or /messages/T");
        }
        if (io.gomq.core.engine.BrokerEngine.isReserved(topic)) {
            throw ApiException.badRequest("invalid topic: topics under " + io.gomq.core.engine.BrokerEngine.RESERVED_PREFIX
                    + " are the broker's own");
        }
        try {
            return Topics.validateName(topic);
        } catch (InvalidTopicException e) {
            throw ApiException.badRequest("invalid topic: " + e.getMessage());
        }
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        long n = parse("limit", text);
        if (n < 1) {
            throw ApiException.badRequest("limit must be at least 1, got " + n);
        }
        return (int) Math.min(n, MAX_LIMIT);
    }

    private static Long offset(String text) {
        if (text == null) {
            return null;
        }
        long n = parse("from", text);
        if (n < 0) {
            throw ApiException.badRequest("from must be an offset >= 0, got " + n);
        }
        return n;
    }

    private static long parse(String name, String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a whole number, got '"
                    + (text.length() > 30 ? text.substring(0, 30) + "..." : text) + "'");
        }
    }
}
