package dev.aviary.bench.judges;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs every plan example in docs/ that judges errors or latency through the benchmark, and writes
 * its measured figures right after it, between {@code <!-- judge-benchmark:figures -->} markers
 * (added the first time). An example whose metrics the simulation cannot read is named, not
 * measured.
 */
final class DocsExamples {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String FENCE = "```json plan\n";

  private DocsExamples() {}

  static void measure(JudgeBenchmark bench, Path docs) throws IOException {
    measure(bench, docs, null);
  }

  /** As above, re-measuring only examples whose JSON contains {@code matching} (all when null). */
  static void measure(JudgeBenchmark bench, Path docs, @Nullable String matching)
      throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(docs)) {
      files = s.filter(p -> p.toString().endsWith(".md")).sorted().toList();
    }
    for (Path file : files) {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      StringBuilder out = new StringBuilder();
      int at = 0;
      boolean changed = false;
      while (true) {
        int fence = text.indexOf(FENCE, at);
        if (fence < 0) {
          break;
        }
        int close = text.indexOf("\n```", fence + FENCE.length());
        int after = close + 4;
        String json = text.substring(fence + FENCE.length(), close);
        out.append(text, at, after);
        at = after;
        if (matching != null && !json.contains(matching)) {
          continue; // left as it is, figures included
        }
        // drop figures written by an earlier run
        String rest = text.substring(at);
        if (rest.startsWith("\n\n" + JudgeBenchmark.FIGURES)) {
          int end = text.indexOf(JudgeBenchmark.FIGURES_END, at);
          at = end + JudgeBenchmark.FIGURES_END.length();
          changed = true;
        }
        Map<String, Object> plan = JSON.readValue(json, new TypeReference<>() {});
        String figures = figures(bench, plan);
        if (figures != null) {
          out.append("\n\n")
              .append(JudgeBenchmark.FIGURES)
              .append("\n")
              .append(figures)
              .append(JudgeBenchmark.FIGURES_END);
          changed = true;
          System.err.println(file.getFileName() + " " + plan.get("name") + ": " + figures);
        }
      }
      out.append(text.substring(at));
      if (changed) {
        Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
      }
    }
  }

  /**
   * The example's figures: measured when it judges errors or latency, else what its analysis (or
   * the lack of one) means for a bad canary.
   */
  @SuppressWarnings("unchecked")
  static @Nullable String figures(JudgeBenchmark bench, Map<String, Object> plan) {
    if (plan.get("steps") instanceof List<?> steps) {
      for (Object s : steps) {
        if (s instanceof Map<?, ?> step && step.get("parallelRun") instanceof Map<?, ?> pr) {
          return "The parallel run: " + ParallelRunFigures.of(pr);
        }
      }
    }
    if (!(plan.get("analysis") instanceof Map<?, ?> analysis)
        || !(analysis.get("metrics") instanceof List<?> metrics)
        || metrics.isEmpty()) {
      return "Nothing judged: without `analysis` every canary, healthy or not, is promoted once"
          + " its steps are done — a plan to try the router with, not to guard a release.\n";
    }
    boolean errors = false;
    boolean latency = false;
    for (Object o : metrics) {
      String m = JSON.writeValueAsString(o).toLowerCase(Locale.ROOT);
      boolean isLatency =
          m.contains("histogram") || m.contains("latenc") || m.contains("duration_seconds");
      boolean isErrors = !isLatency && (m.contains("5..") || m.contains("error"));
      errors |= isErrors;
      latency |= isLatency;
    }
    if (!errors && !latency) {
      return "Not measured: the simulated world models error counts and latency, not this"
          + " example's metrics; measure it on your own traffic with `aviary plan backtest`.\n";
    }
    PlanModel model;
    try {
      model = new PlanModel((Map<String, ?>) plan, bench.judges());
    } catch (RuntimeException e) {
      return "Not measured: the simulation cannot read this example (" + e.getMessage() + ").\n";
    }
    World healthy = World.healthy("healthy");
    List<String> parts = new ArrayList<>();
    parts.add(line("a healthy canary", measure(bench, model, healthy), true));
    if (errors) {
      parts.add(
          line("a canary with 2× the errors", measure(bench, model, healthy.errors(2)), false));
    }
    if (latency) {
      parts.add(
          line(
              "a canary whose slowest 1 % is 2× slower",
              measure(bench, model, healthy.latency(1, 2)), false));
    }
    boolean routed =
        plan.containsKey("blueGreen") || JSON.writeValueAsString(plan).contains("setHeaderRoute");
    return "Measured by the judge benchmark ("
        + String.format(Locale.ROOT, "%,d", bench.runs())
        + " simulated rollouts each, 100 req/s, 1 % base error rate, a person approving every"
        + " manual pause at once, up to 6 h"
        + (routed
            ? ", a header route at 0 % taking " + PlanModel.PREVIEW_PERCENT + " % of requests"
            : "")
        + "): "
        + String.join("; ", parts)
        + ".\n";
  }

  private static JudgeBenchmark.Figures measure(
      JudgeBenchmark bench, PlanModel model, World world) {
    long base = (long) world.hashCode() << 32;
    List<PlanModel.Outcome> outcomes = new ArrayList<>();
    java.util.stream.IntStream.range(0, bench.runs())
        .parallel()
        .mapToObj(run -> model.run(world, base + run, Duration.ofHours(6), null, true))
        .forEachOrdered(outcomes::add);
    return JudgeBenchmark.Figures.of(outcomes);
  }

  private static String line(String what, JudgeBenchmark.Figures f, boolean healthy) {
    String rolledBack =
        "rolled back "
            + JudgeBenchmark.pct(f.rolledBack())
            + (f.rolledBack() > 0
                ? " (median " + JudgeBenchmark.min(f.minutesToRollBack()) + " min)"
                : "");
    String promoted =
        (healthy ? "promoted " : "released ")
            + JudgeBenchmark.pct(f.promoted())
            + (f.promoted() > 0
                ? " (median " + JudgeBenchmark.min(f.minutesToPromote()) + " min)"
                : "");
    return what + " " + (healthy ? promoted + ", " + rolledBack : rolledBack + ", " + promoted);
  }
}
