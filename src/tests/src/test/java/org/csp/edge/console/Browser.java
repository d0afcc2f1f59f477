package org.csp.edge.console;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's chromedriver (packages chromium and chromium-driver,
 * src/test-support/test-packages): both paths given, so Selenium never looks for or downloads a driver or a
 * browser of its own. Without them a test fails naming the package. Screenshots go to the directory named by the
 * system property {@value #SCREENSHOTS} (e.g. {@code -Dconsole.screenshots=src/docs/console}); without it, none.
 */
final class Browser implements AutoCloseable {
  static final String SCREENSHOTS = "console.screenshots";
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Duration WAIT = Duration.ofSeconds(30);

  final ChromeDriver driver;
  private final ChromeDriverService service;

  Browser(int width, int height) {
    if (!Files.isExecutable(CHROMIUM)) fail("Debian package chromium is not installed (" + CHROMIUM + "): apt-get install chromium");
    if (!Files.isExecutable(CHROMEDRIVER)) {
      fail("Debian package chromium-driver is not installed (" + CHROMEDRIVER + "): apt-get install chromium-driver");
    }
    service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--no-first-run", "--disable-extensions", "--window-size=" + width + "," + height);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(WAIT);
  }

  void open(String url) {
    driver.get(url);
  }

  WebDriverWait waiting() {
    return new WebDriverWait(driver, WAIT);
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /** The console's messages at SEVERE (errors, failed loads, CSP violations) since the last read. */
  List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
  }

  /** The viewport's size in CSS pixels (the window's, in headless mode). */
  void resize(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  /** Writes {@code name}.png into the screenshots directory, when the property names one. */
  void screenshot(String name) throws IOException {
    String dir = System.getProperty(SCREENSHOTS);
    if (dir == null || dir.isBlank()) return;
    Path out = Path.of(dir);
    Files.createDirectories(out);
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), out.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
    }
  }
}
