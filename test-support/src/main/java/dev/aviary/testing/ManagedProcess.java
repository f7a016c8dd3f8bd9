package dev.aviary.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real server process started by a test, its output captured to a log file, stopped (and its
 * children with it) when the test is done or the JVM exits.
 */
public final class ManagedProcess implements AutoCloseable {

  private final String name;
  private final List<String> command;
  private final Path log;
  private final Map<String, String> environment;
  private Process process;

  public ManagedProcess(String name, List<String> command, Path log) {
    this(name, command, log, Map.of());
  }

  /** A process with these environment variables added to this JVM's. */
  public ManagedProcess(
      String name, List<String> command, Path log, Map<String, String> environment) {
    this.name = name;
    this.command = List.copyOf(command);
    this.log = log;
    this.environment = Map.copyOf(environment);
  }

  /** Looks a binary up in the usual places; fails with the Debian package to install. */
  public static String binary(String executable, String debianPackage) {
    for (String dir : List.of("/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin")) {
      File f = new File(dir, executable);
      if (f.canExecute()) {
        return f.getAbsolutePath();
      }
    }
    throw new IllegalStateException(
        executable + " is not installed; install it with: apt-get install -y " + debianPackage);
  }

  public synchronized ManagedProcess start() {
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().putAll(environment);
      process = pb.start();
      Runtime.getRuntime().addShutdownHook(new Thread(this::stopQuietly, name + "-stopper"));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  /**
   * Waits for the process to end by itself; answers its exit code, or -1 (after killing it) when it
   * has not ended within {@code limit}.
   */
  public int waitFor(java.time.Duration limit) {
    Process p;
    synchronized (this) {
      p = process;
    }
    if (p == null) {
      throw new IllegalStateException(name + " was not started");
    }
    try {
      if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
        return -1;
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      return -1;
    }
  }

  public synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  public synchronized long pid() {
    return process.pid();
  }

  /** Stops the process (SIGTERM, then SIGKILL after 10 s), children included. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
    family.add(process.toHandle());
    family.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        family.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /**
   * Sends SIGTERM to the process alone, as Ctrl-C or a supervisor's stop would (its children are
   * left to it); {@link #waitFor} then tells how it ended.
   */
  public synchronized void terminate() {
    if (process != null) {
      process.destroy();
    }
  }

  /** Kills the process at once (SIGKILL), as a crash would. */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** What the process has printed so far. */
  public String output() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path log() {
    return log;
  }

  private void stopQuietly() {
    try {
      stop();
    } catch (RuntimeException ignored) {
      // the JVM is exiting; nothing more to do
    }
  }

  @Override
  public void close() {
    stop();
  }
}
