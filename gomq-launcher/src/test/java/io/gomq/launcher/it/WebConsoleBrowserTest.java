package io.gomq.launcher.it;

import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.TestBrokers;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The web console in a real browser: Debian's chromium, headless, driven by Selenium through
 * Debian's chromedriver (.ci/run installs both; nothing is downloaded). It opens the console
 * against a running broker, publishes over MQTT, and sees the rate and the live tail change,
 * then publishes with the console's form.
 */
@Timeout(180)
class WebConsoleBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private StandaloneBroker broker;
    private HeadlessChromium chromium;
    private WebDriver browser;
    private SteadyPublisher publisher;
    private MqttClient subscriber;

    @BeforeEach
    void start() throws Exception {
        chromium = new HeadlessChromium(dir);
        browser = chromium.browser();
        broker = TestBrokers.start(c -> c.broker().persistent(true).dataDir(dir.resolve("data")));
    }

    @AfterEach
    void stop() throws Exception {
        if (publisher != null) {
            publisher.close();
        }
        if (subscriber != null) {
            if (subscriber.isConnected()) {
                subscriber.disconnect();
            }
            subscriber.close();
        }
        if (chromium != null) {
            chromium.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theConsoleShowsTheRateAndTheTailOfMqttPublishesAndPublishesWithItsForm() throws Exception {
        browser.get("http://127.0.0.1:" + broker.httpPort() + "/");
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        // the tail follows '#' once its stream is open; the rate reads 0 before anything is published
        wait.until(b -> text("tail-status").equals("following #"));
        wait.until(b -> text("rate-in").equals("0"));

        publisher = new SteadyPublisher(TestBrokers.tcpUri(broker), "console-test-pub", null, Map.of("sensors/t1", "reading"));

        wait.until(b -> rate("rate-in") > 0);
        wait.until(b -> tailText().contains("sensors/t1") && tailText().contains("reading "));
        wait.until(b -> number(browser.findElements(By.xpath("//tbody[@id='topics-rows']/tr[td[1]='sensors/t1']/td[2]"))) > 0);
        wait.until(b -> sessionRows().contains("console-test-pub"));
        wait.until(b -> browser.findElements(By.cssSelector("#chart-rates canvas")).size() == 1);

        subscriber = new MqttClient(TestBrokers.tcpUri(broker), "console-test-sub", new MemoryPersistence());
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        subscriber.connect();
        subscriber.subscribe("console/#", 1, (topic, m) -> received.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8)));

        browser.findElement(By.id("pub-topic")).sendKeys("console/hello");
        browser.findElement(By.id("pub-body")).sendKeys("from the browser");
        browser.findElement(By.id("pub-send")).click();
        wait.until(b -> text("pub-result").startsWith("published to ")); // the subscriber, and the console's tail and rates
        assertEquals("console/hello from the browser", received.poll(10, TimeUnit.SECONDS));
        wait.until(b -> tailText().contains("from the browser"));
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText().trim();
    }

    private double rate(String id) {
        return number(browser.findElements(By.id(id)));
    }

    /** The number the one element shows, or -1 while there is none ("–", empty, not rendered yet). */
    private static double number(java.util.List<org.openqa.selenium.WebElement> elements) {
        try {
            return elements.size() == 1 ? Double.parseDouble(elements.get(0).getText().trim().replace(",", "")) : -1;
        } catch (NumberFormatException notYet) {
            return -1;
        }
    }

    private String tailText() {
        return text("tail-list");
    }

    private String sessionRows() {
        return text("sessions-rows");
    }
}
