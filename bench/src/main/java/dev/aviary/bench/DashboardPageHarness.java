package dev.aviary.bench;

import dev.aviary.testing.ControllerProcess;
import dev.aviary.testing.FreePorts;
import dev.aviary.testing.TestPostgres;
import dev.aviary.testing.TestTokens;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's home page with thousands of rollouts stored, timed in a headless Chromium: the
 * packaged controller on a fresh database, N plans with one finished rollout each, then the page
 * loaded again and again. For each load, the browser's own Resource Timing of the list request
 * (server time: request sent to first byte; and its whole duration) and the time from navigation to
 * the table on screen. A benchmark, not a test: its figures are in docs/performance.md.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.aviary.bench.DashboardPageHarness --rollouts 5000 --loads 100
 * </pre>
 */
public final class DashboardPageHarness {

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = CapacityHarness.options(args);
    int n = Integer.parseInt(opts.getOrDefault("rollouts", "5000"));
    int loads = Integer.parseInt(opts.getOrDefault("loads", "100"));
    Path logs = Files.createTempDirectory("aviary-dashboard-page");
    TestPostgres.Database db = TestPostgres.newDatabase();
    Map<String, String> props = ListLoadHarness.properties(db);
    try (ControllerProcess controller =
        ControllerProcess.start(FreePorts.next(), props, logs, "dashboard-page")) {
      long created = System.nanoTime();
      ListLoadHarness.createFinishedRollouts(controller.url(), n);
      ListLoadHarness.waitUntilIdle(controller.url(), n);
      System.out.printf(
          Locale.ROOT,
          "%d plans and finished rollouts in %.0f s%n",
          n,
          (System.nanoTime() - created) / 1e9);
      ChromeDriver driver = browser();
      try {
        driver.get(controller.url() + "/sign-in");
        wait(driver).until(d -> d.findElement(By.id("token"))).sendKeys(TestTokens.ADMIN);
        driver.findElement(By.id("sign-in")).click();
        wait(driver).until(d -> d.findElement(By.id("rollout-table")));
        for (int i = 0; i < 10; i++) { // warm-up: JIT, pools, the browser's caches
          load(driver, controller.url());
        }
        double[] server = new double[loads];
        double[] request = new double[loads];
        double[] shown = new double[loads];
        for (int i = 0; i < loads; i++) {
          double[] t = load(driver, controller.url());
          server[i] = t[0];
          request[i] = t[1];
          shown[i] = t[2];
        }
        System.out.println("| rollouts stored | loads | | p50 | p90 | p99 | max |");
        System.out.println("|---|---|---|---|---|---|---|");
        row(n, loads, "list request: server time (sent → first byte)", server);
        row(n, loads, "list request: whole (sent → last byte)", request);
        row(n, loads, "navigation → table drawn (page, scripts, session, list)", shown);
      } finally {
        driver.quit();
      }
    }
  }

  /** One load of the home page: server time and duration of its list request, time to table. */
  private static double[] load(ChromeDriver driver, String base) {
    driver.get(base + "/rollouts");
    wait(driver).until(d -> d.findElement(By.cssSelector("#rollout-table tbody tr")));
    Object r =
        ((JavascriptExecutor) driver)
            .executeScript(
                "const e = performance.getEntriesByType('resource')"
                    + ".filter(x => x.name.includes('/api/v1/rollouts?')).pop();"
                    + "return [e.responseStart - e.requestStart, e.responseEnd - e.requestStart,"
                    + " performance.getEntriesByName('aviary:rollouts-shown').pop().startTime];");
    List<?> t = (List<?>) r;
    return new double[] {num(t.get(0)), num(t.get(1)), num(t.get(2))};
  }

  private static double num(Object o) {
    return ((Number) o).doubleValue();
  }

  private static void row(int n, int loads, String what, double[] ms) {
    double[] s = ms.clone();
    Arrays.sort(s);
    System.out.printf(
        Locale.ROOT,
        "| %,d | %d | %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms |%n",
        n,
        loads,
        what,
        q(s, 0.5),
        q(s, 0.9),
        q(s, 0.99),
        s[s.length - 1]);
  }

  private static double q(double[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static WebDriverWait wait(ChromeDriver driver) {
    return new WebDriverWait(driver, Duration.ofSeconds(30));
  }

  private static ChromeDriver browser() {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1280,800"));
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments(args);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }
}
