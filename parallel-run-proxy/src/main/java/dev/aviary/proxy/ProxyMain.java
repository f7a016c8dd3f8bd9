package dev.aviary.proxy;

import dev.aviary.parallelrun.report.ControllerReporter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the comparing proxy: {@code java -jar aviary-proxy.jar proxy.yaml}. With a {@code
 * controller} in the settings it compares only while the controller says a rollout of the plan is
 * in a parallel run, at the share it names; alone, at the configured {@code sample}.
 */
public final class ProxyMain implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ProxyMain.class);

  private final ParallelRunProxy proxy;
  private final @Nullable AdminServer admin;
  private final @Nullable ControllerReporter reporter;

  public ProxyMain(ProxySettings settings) throws IOException {
    String source =
        "proxy-" + ManagementFactory.getRuntimeMXBean().getName() + "-" + System.nanoTime();
    proxy = new ParallelRunProxy(settings, source, Clock.systemUTC()).start();
    admin = settings.admin() > 0 ? new AdminServer(settings.admin(), proxy) : null;
    ProxySettings.Controller c = settings.controller();
    reporter =
        c == null
            ? null
            : new ControllerReporter(
                    c.url(),
                    c.plan(),
                    c.token(),
                    proxy.tally(),
                    c.reportInterval(),
                    a -> {
                      log.info(
                          "the controller says: rollout {}, compare {} of requests",
                          a.rolloutId() == null ? "none" : a.rolloutId(),
                          a.sample());
                      proxy.sample(a.sample());
                    })
                .start();
  }

  public int port() {
    return proxy.port();
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 1 || args[0].startsWith("-")) {
      System.err.println("usage: java -jar aviary-proxy.jar <settings.yaml>");
      System.exit(2);
    }
    ProxySettings settings;
    try {
      settings = SettingsFile.read(Path.of(args[0]));
    } catch (SettingsFile.InvalidSettings e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    ProxyMain main = new ProxyMain(settings);
    Runtime.getRuntime().addShutdownHook(new Thread(main::close, "aviary-proxy-stop"));
    System.out.println(
        "aviary proxy on :"
            + main.port()
            + " → primary "
            + settings.primary()
            + ", candidate "
            + settings.candidate()
            + (settings.secondary() == null ? "" : ", secondary " + settings.secondary())
            + (settings.controller() == null
                ? ", comparing " + settings.sample() + " of requests"
                : ", reporting to "
                    + settings.controller().url()
                    + " for plan "
                    + settings.controller().plan()));
    Thread.currentThread().join();
  }

  @Override
  public void close() {
    if (reporter != null) {
      reporter.close();
    }
    if (admin != null) {
      admin.close();
    }
    proxy.close();
  }
}
