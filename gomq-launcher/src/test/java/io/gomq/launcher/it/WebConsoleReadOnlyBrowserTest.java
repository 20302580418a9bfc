package io.gomq.launcher.it;

import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.auth.PasswordHasher;
import io.gomq.launcher.testing.TestBrokers;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The console of a user without the admin role, in a real browser: it sees the topics it may
 * read, their live rate chart and the tail, but no publish form; and the broker refuses that
 * user the admin routes and a publish the topic rules do not allow (HTTP 403), whatever a page
 * would send.
 */
@Timeout(180)
class WebConsoleReadOnlyBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private StandaloneBroker broker;
    private HeadlessChromium chromium;
    private WebDriver browser;
    private SteadyPublisher publisher;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        chromium = new HeadlessChromium(dir);
        browser = chromium.browser();
        PasswordHasher hasher = new PasswordHasher(1_000);
        Path users = Files.write(dir.resolve("users"), List.of("viewer:" + hasher.hash("look".toCharArray()),
                "root:" + hasher.hash("toor".toCharArray()) + ":admin"));
        Path acl = Files.write(dir.resolve("acl"), List.of("user viewer", "topic read sensors/#", "user root", "topic readwrite #"));
        broker = TestBrokers.start(c -> c.usersFile(users).allowAnonymous(false).aclFile(acl));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {publisher, chromium, broker}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void aUserWithoutTheAdminRoleSeesRatesAndTheTailButCannotPublish() throws Exception {
        // headless, the URL stands for the browser's login dialog: the browser keeps the credentials for the
        // origin, and the page is opened again without them (fetch refuses a page URL that holds credentials)
        browser.get("http://viewer:look@127.0.0.1:" + broker.httpPort() + "/");
        browser.get("http://127.0.0.1:" + broker.httpPort() + "/");
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.withMessage(() -> "the page shows: mode '" + text("mode") + "', error '" + text("error") + "', rate-in '"
                + text("rate-in") + "', tail '" + text("tail-status") + "'");
        wait.until(b -> text("tail-status").equals("following #"));
        wait.until(b -> text("mode").startsWith("read-only"));
        assertFalse(browser.findElement(By.id("publish")).isDisplayed(), "no publish form without the admin role");

        MqttConnectOptions root = new MqttConnectOptions();
        root.setUserName("root");
        root.setPassword("toor".toCharArray());
        publisher = new SteadyPublisher(TestBrokers.tcpUri(broker), "console-ro-pub", root,
                Map.of("sensors/t1", "reading", "secret/s1", "not for the viewer"));

        wait.until(b -> number("rate-in") > 0); // drawn from GET /rates: GET /stats is the admin's
        wait.until(b -> browser.findElements(By.cssSelector("#chart-rates canvas")).size() == 1);
        wait.until(b -> text("tail-list").contains("sensors/t1") && text("tail-list").contains("reading "));
        wait.until(b -> text("topics-rows").contains("sensors/t1"));
        assertFalse(text("tail-list").contains("secret/"), "the tail holds only what the viewer may read");
        assertFalse(text("topics-rows").contains("secret/"), "and so do the topics");

        String viewer = "Basic " + Base64.getEncoder().encodeToString("viewer:look".getBytes(StandardCharsets.UTF_8));
        assertEquals(403, post("/pub", viewer, "{\"topic\":\"sensors/t1\",\"body\":\"forged\"}"), "the broker refuses the publish");
        for (String adminOnly : List.of("/sessions", "/stats", "/log")) {
            assertEquals(403, get(adminOnly, viewer), adminOnly);
        }
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText().trim();
    }

    private double number(String id) {
        try {
            return Double.parseDouble(text(id).replace(",", ""));
        } catch (NumberFormatException notYet) {
            return -1;
        }
    }

    private int get(String path, String authorization) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", authorization).GET().build());
    }

    private int post(String path, String authorization, String json) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", authorization)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + broker.httpPort() + path);
    }

    private int send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
