package dev.aviary.testing;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged controller ({@code controller-app/target/aviary.jar}, run from its extracted layout)
 * as a real operating-system process, so that tests can kill it with SIGKILL as a crash would and
 * start it again.
 */
public final class ControllerProcess implements AutoCloseable {

  private final ManagedProcess process;
  private final int port;

  private ControllerProcess(ManagedProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Finds the packaged jar from a module directory of the build. */
  public static Path jar() {
    for (Path candidate :
        List.of(
            Path.of("target", "aviary.jar"),
            Path.of("..", "controller-app", "target", "aviary.jar"))) {
      if (Files.exists(candidate)) {
        return candidate.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException(
        "controller-app/target/aviary.jar is missing: package controller-app first");
  }

  /**
   * The packaged jar unpacked as Spring Boot's {@code extract} tool lays it out ({@code aviary.jar}
   * beside {@code lib/}), next to the jar and redone whenever the jar changes. A plain class path
   * starts the controller in about half the time of the nested jar (18 s against 36-43 s measured
   * on two cores): tests start controllers many times, and each start is waiting time.
   */
  static synchronized Path extracted() {
    Path jar = jar();
    Path dir = jar.resolveSibling("aviary-extracted");
    Path launcher = dir.resolve("aviary.jar");
    Path stamp = dir.resolve("extracted-from");
    try {
      String source = Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
      if (Files.exists(launcher) && Files.exists(stamp) && Files.readString(stamp).equals(source)) {
        return launcher;
      }
      Path partial = jar.resolveSibling("aviary-extracting");
      deleteTree(partial);
      Process extract =
          new ProcessBuilder(
                  ProcessHandle.current().info().command().orElse("java"),
                  "-Djarmode=tools",
                  "-jar",
                  jar.toString(),
                  "extract",
                  "--destination",
                  partial.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!extract.waitFor(5, java.util.concurrent.TimeUnit.MINUTES) || extract.exitValue() != 0) {
        extract.destroyForcibly();
        throw new IllegalStateException("could not extract " + jar);
      }
      Files.writeString(partial.resolve("extracted-from"), source);
      deleteTree(dir);
      Files.move(partial, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return launcher;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /**
   * Starts the controller on {@code port} with {@code properties} (as --key=value) and waits until
   * it is ready.
   */
  public static ControllerProcess start(
      int port, Map<String, String> properties, Path logDir, String name) {
    return start(port, properties, Map.of(), logDir, name);
  }

  /**
   * As {@link #start(int, Map, Path, String)} with environment variables; the admin token {@link
   * TestTokens#ADMIN} is the bootstrap token (AVIARY_BOOTSTRAP_TOKEN) unless {@code environment}
   * sets another. Tests run every backend on loopback, which the outbound policy denies by default,
   * so loopback is allowed (AVIARY_OUTBOUND_ALLOW) unless {@code environment} says otherwise; the
   * controller's own port stays refused.
   */
  public static ControllerProcess start(
      int port,
      Map<String, String> properties,
      Map<String, String> environment,
      Path logDir,
      String name) {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("AVIARY_BOOTSTRAP_TOKEN", TestTokens.ADMIN);
    env.put("AVIARY_OUTBOUND_ALLOW", "127.0.0.0/8,::1/128");
    env.putAll(environment);
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx384m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-jar");
    command.add(extracted().toString());
    command.add("--server.port=" + port);
    properties.forEach((k, v) -> command.add("--" + k + "=" + v));
    ManagedProcess process =
        new ManagedProcess(name, command, logDir.resolve(name + ".log"), env).start();
    ControllerProcess controller = new ControllerProcess(process, port);
    Duration budget = readinessBudget();
    try {
      controller.awaitReady(budget);
    } catch (RuntimeException | Error e) {
      // never leave a half-started controller behind to slow down the next test
      String output = tail(process.output());
      process.stop();
      throw new IllegalStateException(
          "controller "
              + name
              + " was not ready on port "
              + port
              + " within "
              + budget.toSeconds()
              + " s (AVIARY_TEST_START_TIMEOUT sets the budget in seconds); its last log lines:\n"
              + output,
          e);
    }
    return controller;
  }

  /**
   * How long a controller may take to start: generous, as a 2-core machine under load takes
   * minutes; {@code AVIARY_TEST_START_TIMEOUT} (seconds) overrides it.
   */
  static Duration readinessBudget() {
    String configured = System.getenv("AVIARY_TEST_START_TIMEOUT");
    if (configured != null && !configured.isBlank()) {
      try {
        return Duration.ofSeconds(Long.parseLong(configured.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "AVIARY_TEST_START_TIMEOUT must be a number of seconds, not '" + configured + "'", e);
      }
    }
    return Duration.ofMinutes(5);
  }

  private void awaitReady(Duration timeout) {
    await("controller ready on port " + port)
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(
                    "the controller exited during start-up:\n" + tail(process.output()));
              }
              return HttpProbe.status(url() + "/actuator/health/readiness") == 200;
            });
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM to the controller alone, as Ctrl-C or a supervisor's stop: its orderly shutdown. */
  public void terminate() {
    process.terminate();
  }

  /** SIGKILL: no shutdown hooks, no graceful anything. */
  public void kill() {
    process.kill();
  }

  public String output() {
    return process.output();
  }

  /** Waits for the controller to end by itself; its exit code, or -1 when it has not in time. */
  public int waitForExit(Duration limit) {
    return process.waitFor(limit);
  }

  private static String tail(String text) {
    return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
  }

  @Override
  public void close() {
    process.stop();
  }
}
