package io.gomq.remote.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gomq.client.Message;
import io.gomq.client.Qos;
import io.gomq.client.Replay;
import io.gomq.client.ReplayFrom;
import io.gomq.client.StoredMessage;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link Replay} over the broker's HTTP API: pages of {@code GET /messages?filter=F&from=X}, the
 * same route {@code gomqctl sub --from} reads, from the start given, then from each page's
 * {@code next} (tailing: an empty page is asked again, backing off up to {@value #MAX_WAIT_MS} ms).
 * Holds one page at most. One thread at a time.
 */
final class HttpReplay implements Replay {
    static final int PAGE = 500;
    private static final long MAX_WAIT_MS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI base;
    private final String authorization;
    private final String filter;
    private final ArrayDeque<StoredMessage> page = new ArrayDeque<>();
    private String from;
    private volatile boolean closed;

    HttpReplay(HttpClient http, URI base, String authorization, String filter, ReplayFrom start) {
        this.http = http;
        this.base = base;
        this.authorization = authorization;
        this.filter = filter;
        this.from = start.toString();
        fetch(); // a bad filter or start, or an unreachable API, fails here rather than in the first poll
    }

    @Override
    public StoredMessage poll(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long waitMs = 5;
        while (!closed) {
            if (!page.isEmpty()) {
                return page.poll();
            }
            if (fetch()) {
                continue; // the scan moved on: ask again at once
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(waitMs))); // caught up: wait for appends
            waitMs = Math.min(waitMs * 2, MAX_WAIT_MS);
        }
        return null;
    }

    /** Reads the next page; {@return whether {@code next} moved (new messages, or a scan past non-matching ones)} */
    private boolean fetch() {
        String query = "messages?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8) + "&from="
                + URLEncoder.encode(from, StandardCharsets.UTF_8) + "&limit=" + PAGE;
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(query)).timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("replay: " + base + " did not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("replay interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("replay of " + filter + " from " + from + ": HTTP " + response.statusCode() + " " + response.body());
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            for (JsonNode m : body.path("messages")) {
                page.add(new StoredMessage(m.path("offset").asLong(), message(m)));
            }
            String next = Long.toString(body.path("next").asLong());
            boolean moved = !next.equals(from);
            from = next;
            return moved;
        } catch (IOException e) {
            throw new IllegalStateException("replay: unreadable answer from " + base + ": " + e.getMessage(), e);
        }
    }

    private static Message message(JsonNode m) {
        String topic = m.path("topic").asText();
        byte[] payload = m.hasNonNull("bodyBase64") ? Base64.getDecoder().decode(m.get("bodyBase64").asText())
                : m.path("body").asText().getBytes(StandardCharsets.UTF_8);
        Message.Builder b = Message.builder(topic).key(m.path("key").asText(topic)).payload(payload)
                .qos(Qos.of(m.path("qos").asInt())).retain(m.path("retain").asBoolean())
                .timestampMillis(m.path("timestamp").asLong(Message.NO_TIMESTAMP));
        if (m.hasNonNull("contentType")) {
            b.contentType(m.get("contentType").asText());
        }
        if (m.hasNonNull("responseTopic")) {
            b.responseTopic(m.get("responseTopic").asText());
        }
        if (m.hasNonNull("messageExpirySeconds")) {
            b.messageExpiry(Duration.ofSeconds(m.get("messageExpirySeconds").asLong()));
        }
        for (JsonNode u : m.path("userProperties")) {
            b.userProperty(u.path(0).asText(), u.path(1).asText());
        }
        return b.build();
    }

    @Override
    public long position() {
        StoredMessage next = page.peek();
        return next != null ? next.offset() : Long.parseLong(from);
    }

    @Override
    public void close() {
        closed = true;
        page.clear();
    }
}
