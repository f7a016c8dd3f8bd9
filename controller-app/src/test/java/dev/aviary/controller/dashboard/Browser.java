package dev.aviary.controller.dashboard;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium driven by Selenium, the Debian {@code chromium} and {@code chromium-driver}
 * packages (.ci/run installs them). Where neither is installed the tests are skipped with a message
 * saying so; CI always has them.
 */
final class Browser implements AutoCloseable {

  private static final List<String> BROWSERS =
      List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
  private static final List<String> DRIVERS =
      List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

  final ChromeDriver driver;
  final String base;

  private Browser(ChromeDriver driver, String base) {
    this.driver = driver;
    this.base = base;
  }

  /** A browser at 1280×800, or the test is skipped when this machine has none. */
  static Browser open(String base) {
    Optional<String> binary = first(BROWSERS);
    Optional<String> driverBinary = first(DRIVERS);
    Assumptions.assumeTrue(
        binary.isPresent() && driverBinary.isPresent(),
        "no Chromium here (apt-get install chromium chromium-driver): browser tests skipped");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(binary.get());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1280,800",
        "--lang=en-GB");
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of(driverBinary.get()).toFile())
            .usingAnyFreePort()
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    return new Browser(driver, base);
  }

  private static Optional<String> first(List<String> paths) {
    return paths.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst();
  }

  void go(String path) {
    driver.get(base + path);
  }

  void size(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  /** A wait whose failure says what the page showed: the test's report is enough to see why. */
  WebDriverWait waiting(Duration d) {
    WebDriverWait wait = new WebDriverWait(driver, d);
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    wait.withMessage(() -> "the page at " + driver.getCurrentUrl() + " showed: " + pageText());
    return wait;
  }

  private String pageText() {
    try {
      return driver.findElement(By.tagName("body")).getText()
          + "\nconsole: "
          + driver.manage().logs().get(LogType.BROWSER).getAll();
    } catch (RuntimeException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** Waits up to 20 s for an element (the page renders after its API calls). */
  WebElement find(By by) {
    return waiting(Duration.ofSeconds(20)).until(d -> d.findElement(by));
  }

  /** Clicks what {@code by} finds, finding it again if a live update replaced it meanwhile. */
  void click(By by) {
    waiting(Duration.ofSeconds(20))
        .until(
            d -> {
              d.findElement(by).click();
              return true;
            });
  }

  List<WebElement> all(By by) {
    return driver.findElements(by);
  }

  WebElement waitText(By by, String text) {
    return waiting(Duration.ofSeconds(30))
        .until(
            d -> {
              List<WebElement> found = d.findElements(by);
              return found.stream()
                  .filter(e -> e.getText().contains(text))
                  .findFirst()
                  .orElse(null);
            });
  }

  Object script(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(js, args);
  }

  /**
   * Runs {@code js} with a callback as its last argument: {@code arguments[arguments.length-1]}.
   */
  Object asyncScript(String js, Object... args) {
    return ((JavascriptExecutor) driver).executeAsyncScript(js, args);
  }

  void signIn(String token) {
    go("/sign-in");
    find(By.id("token")).sendKeys(token);
    find(By.id("sign-in")).click();
    find(By.id("sign-out"));
  }

  /** The page's console: JavaScript errors and Content-Security-Policy refusals show here. */
  List<String> severeConsoleEntries() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        // a 401/403/409 the page expected and showed is logged by Chromium as a failed load
        .filter(m -> !m.contains("the server responded with a status of"))
        .toList();
  }

  /** Serious and critical WCAG 2 A/AA violations on the page as it is now. */
  List<String> accessibilityViolations() {
    Results results =
        new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21aa")).analyze(driver);
    Stream<Rule> bad =
        results.getViolations().stream()
            .filter(r -> "serious".equals(r.getImpact()) || "critical".equals(r.getImpact()));
    return bad.map(
            r ->
                r.getId()
                    + " ("
                    + r.getImpact()
                    + "): "
                    + r.getHelp()
                    + " at "
                    + r.getNodes().stream().map(n -> String.valueOf(n.getTarget())).toList())
        .toList();
  }

  /** Saves a screenshot to {@code dir/name.png} when screenshots are asked for. */
  void screenshot(String name) throws Exception {
    screenshot(name, null);
  }

  /** The same, scrolled so that {@code top} starts the picture. */
  void screenshot(String name, @org.jspecify.annotations.Nullable By top) throws Exception {
    String dir = System.getProperty("aviary.screenshots");
    if (dir == null || dir.isBlank()) {
      return;
    }
    if (top == null) {
      script("window.scrollTo(0, 0)");
    } else {
      script("arguments[0].scrollIntoView(true)", driver.findElement(top));
    }
    Path target = Path.of(dir).resolve(name + ".png");
    Files.createDirectories(target.getParent());
    Files.write(target, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
  }

  @Override
  public void close() {
    driver.quit();
  }
}
