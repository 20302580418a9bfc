package io.gomq.launcher.it;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's chromium, headless, driven by Selenium through Debian's chromedriver (.ci/run installs
 * both; nothing is downloaded: never Selenium Manager). Closing it ends chromium and chromedriver.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    private final ChromeDriverService driverService;
    private final WebDriver browser;

    /** Skips the test (an assumption) when chromium or chromedriver is not installed. */
    HeadlessChromium(Path dir) throws IOException {
        assumeTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
                "skipped: no /usr/bin/chromium or /usr/bin/chromedriver (apt-get install chromium chromium-driver; .ci/run does)");
        driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort()
                .withLogFile(dir.resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1400,1200",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        WebDriver started;
        try {
            started = new ChromeDriver(driverService, options);
        } catch (RuntimeException e) {
            driverService.stop();
            throw e;
        }
        browser = started;
    }

    WebDriver browser() {
        return browser;
    }

    @Override
    public void close() {
        try {
            browser.quit(); // ends chromium
        } finally {
            driverService.stop(); // and chromedriver, should quit have failed
        }
    }
}
