package io.gomq.remote.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gomq.client.GoMqException;
import io.gomq.client.Message;
import io.gomq.client.NotAuthorizedException;
import io.gomq.client.NotConnectedException;
import io.gomq.client.Qos;
import io.gomq.client.Replay;
import io.gomq.client.ReplayFrom;
import io.gomq.client.StoredMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link Replay} over the broker's HTTP API: pages of {@code GET /messages?filter=F&from=X}, the
 * same route {@code gomqctl sub --from} reads, from the start given, then from each page's
 * {@code next} (tailing: an empty page is asked again, backing off up to {@value #MAX_WAIT_MS} ms).
 * Holds one page at most. One thread at a time.
 *
 * <p>Given every node of a cluster it reads from the address that answered last and, when that
 * one stops answering (a refused or broken connection, or 503 from a node that is closing), goes
 * on at the next from the same offset: the log is replicated, so an offset names the same record
 * on every node (a node that lags simply has the newest records a little later).
 */
final class HttpReplay implements Replay {
    static final int PAGE = 500;
    private static final long MAX_WAIT_MS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(HttpReplay.class);

    private final HttpClient http;
    private final List<URI> bases;
    /** The address that answered last: asked first. */
    private int current;
    private final String authorization;
    private final String filter;
    private final ArrayDeque<StoredMessage> page = new ArrayDeque<>();
    private String from;
    private volatile boolean closed;

    HttpReplay(HttpClient http, List<URI> bases, String authorization, String filter, ReplayFrom start) {
        this.http = http;
        this.bases = List.copyOf(bases);
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
        HttpResponse<String> response = get(query);
        if (response.statusCode() != 200) {
            String why = "replay of " + filter + " from " + from + ": HTTP " + response.statusCode() + " " + response.body();
            throw switch (response.statusCode()) {
                case 400 -> new IllegalArgumentException(why);
                case 401, 403 -> new NotAuthorizedException(why);
                default -> new GoMqException(why);
            };
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
            throw new GoMqException("replay: unreadable answer from " + bases.get(current) + ": " + e.getMessage(), e);
        }
    }

    /** GET {@code query} from the first address that answers, starting at the one that answered last. */
    private HttpResponse<String> get(String query) {
        StringBuilder failures = new StringBuilder();
        for (int i = 0; i < bases.size(); i++) {
            int index = (current + i) % bases.size();
            URI base = bases.get(index);
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(query)).timeout(REQUEST_TIMEOUT).GET();
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 503 && i < bases.size() - 1) {
                    failures.append(base).append(": HTTP 503 ").append(response.body()).append("; ");
                    continue; // closing, or memory-only: another node may serve it
                }
                if (index != current) {
                    LOG.info("replay of {} goes on at {} from {} ({})", filter, base, from, failures);
                    current = index;
                }
                return response;
            } catch (IOException e) {
                failures.append(base).append(": ").append(e).append("; ");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("replay interrupted", e);
            }
        }
        throw new NotConnectedException("replay of " + filter + ": no HTTP address answered: " + failures);
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
