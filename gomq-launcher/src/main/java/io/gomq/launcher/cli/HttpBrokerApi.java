package io.gomq.launcher.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The broker's HTTP API as gomqctl uses it: GET /messages, POST /pub, GET /version. Tries the
 * given HTTP addresses in order like the MQTT --connect list (a 503 means "not the leader").
 */
final class HttpBrokerApi {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final List<BrokerAddress> addresses;
    private final String username;
    private final char[] password;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpBrokerApi(List<BrokerAddress> addresses, String username, char[] password) {
        this.addresses = addresses;
        this.username = username;
        this.password = password;
    }

    /** Messages of {@code topic} from offset {@code from}, at most {@code limit}. */
    MessagePage messages(String topic, long from, int limit) {
        String query = "/messages?topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8)
                + "&from=" + from + "&limit=" + limit;
        return parse(send(query, null), MessagePage.class);
    }

    /** POST /pub; returns the offset the broker stored the message at (-1 if it did not say). */
    long publish(String topic, String body, int qos, boolean retain, String key) {
        ObjectNode req = JSON.createObjectNode()
                .put("topic", topic).put("body", body).put("qos", qos).put("retain", retain ? 1 : 0);
        if (key != null) {
            req.put("key", key);
        }
        JsonNode reply = parse(send("/pub", req.toString()), JsonNode.class);
        return reply.path("offset").asLong(-1);
    }

    /** GET /version as text: the "version" field when the reply is JSON, else the body. */
    String version() {
        String body = send("/version", null).trim();
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.hasNonNull("version")) {
                return n.get("version").asText();
            }
        } catch (JsonProcessingException e) {
            // plain text reply
        }
        return body;
    }

    private String send(String pathAndQuery, String jsonBody) {
        return Failover.firstAccepting(addresses, address -> sendTo(address, pathAndQuery, jsonBody));
    }

    private String sendTo(BrokerAddress address, String pathAndQuery, String jsonBody) throws ConnectFailure {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + address + pathAndQuery)).timeout(TIMEOUT);
        if (jsonBody != null) {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        if (username != null) {
            b.header("Authorization", basicAuth());
        }
        HttpResponse<String> resp;
        try {
            resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConnectFailure(ConnectFailure.Kind.UNREACHABLE, "HTTP: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException(ExitCode.FAILED, "interrupted");
        }
        int status = resp.statusCode();
        if (status / 100 == 2) {
            return resp.body();
        }
        String error = "HTTP " + status + errorText(resp.body());
        if (status == 503) {
            throw new ConnectFailure(ConnectFailure.Kind.UNAVAILABLE, error, null);
        }
        if (status == 401 || status == 403) {
            throw new ConnectFailure(ConnectFailure.Kind.NOT_AUTHORIZED, error, null);
        }
        throw new ConnectFailure(ConnectFailure.Kind.REJECTED, error, null);
    }

    /** The first message down the cause chain: java.net.http often wraps "Connection refused" in a bare exception. */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e instanceof java.net.ConnectException ? "Connection refused" : e.getClass().getSimpleName();
    }

    private String basicAuth() {
        String pw = password == null ? "" : new String(password);
        return "Basic " + java.util.Base64.getEncoder().encodeToString(
                (username + ":" + pw).getBytes(StandardCharsets.UTF_8));
    }

    /** The {"error":"..."} text of an error reply, else a short prefix of the body. */
    static String errorText(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.hasNonNull("error")) {
                return ": " + n.get("error").asText();
            }
        } catch (JsonProcessingException e) {
            // not JSON
        }
        String s = body.strip().replaceAll("\\s+", " ");
        return ": " + (s.length() > 200 ? s.substring(0, 200) + "..." : s);
    }

    private static <T> T parse(String body, Class<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new CtlException(ExitCode.FAILED, "unexpected HTTP reply: " + e.getOriginalMessage());
        }
    }
}
