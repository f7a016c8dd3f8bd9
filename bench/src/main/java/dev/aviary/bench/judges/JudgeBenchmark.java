package dev.aviary.bench.judges;

import dev.aviary.analysis.judge.Judges;
import dev.aviary.bench.judges.PlanModel.Outcome;
import dev.aviary.bench.judges.PlanModel.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * The judge benchmark: every judge, as a plan would configure it and the rollout engine apply it,
 * run over thousands of seeded simulated rollouts per case, and every error-rate or latency plan
 * example in {@code docs/} run the same way. Prints the tables, writes them with a chart into
 * docs/judges.md, and the example figures next to each example. Run by hand (it takes minutes):
 *
 * <pre>
 * ./mvnw -q -pl bench -am package -DskipTests
 * java -cp bench/target/benchmarks.jar dev.aviary.bench.judges.JudgeBenchmark --runs 1000 --docs docs
 * </pre>
 *
 * <p>{@code --examples-only} measures the docs' plan examples alone; {@code --examples-matching
 * TEXT} only those whose JSON contains TEXT (say {@code parallelRun}), leaving the others as they
 * are.
 */
public final class JudgeBenchmark {

  static final String START = "<!-- judge-benchmark:start -->";
  static final String END = "<!-- judge-benchmark:end -->";
  static final String FIGURES = "<!-- judge-benchmark:figures -->";
  static final String FIGURES_END = "<!-- /judge-benchmark:figures -->";

  private final int runs;
  private final Judges judges = Judges.discover();

  JudgeBenchmark(int runs) {
    this.runs = runs;
  }

  /** A judge as a plan configures it, and whether the oracle stands in for it. */
  record Contender(String name, Map<String, Object> metric, String interval, boolean oracle) {}

  /** What a case measured for one contender under one plan. */
  record Figures(
      int runs,
      double rolledBack,
      double minutesToRollBack,
      double promoted,
      double minutesToPromote) {

    static Figures of(List<Outcome> outcomes) {
      double[] back = minutes(outcomes, Result.ROLLED_BACK);
      double[] up = minutes(outcomes, Result.PROMOTED);
      return new Figures(
          outcomes.size(),
          100.0 * back.length / outcomes.size(),
          median(back),
          100.0 * up.length / outcomes.size(),
          median(up));
    }

    private static double[] minutes(List<Outcome> outcomes, Result result) {
      return outcomes.stream()
          .filter(o -> o.result() == result)
          .mapToDouble(Outcome::minutes)
          .sorted()
          .toArray();
    }

    private static double median(double[] sorted) {
      if (sorted.length == 0) {
        return Double.NaN;
      }
      return sorted.length % 2 == 1
          ? sorted[sorted.length / 2]
          : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
  }

  // ---- the world's cases ------------------------------------------------------------------------

  static List<World> errorCases() {
    World aa = World.healthy("A/A clean");
    return List.of(
        aa,
        aa.named("A/A, shared load shocks").shocks(0.05, 5),
        aa.named("A/A, overdispersed").overdispersed(4),
        aa.named("errors ×1.5").errors(1.5),
        aa.named("errors ×2").errors(2),
        aa.named("errors ×5").errors(5),
        aa.named("errors ×2, shocks").errors(2).shocks(0.05, 5),
        aa.named("errors ×2 from minute 20").errors(2).after(1200),
        aa.named("A/A, low traffic (5 req/s)").traffic(5),
        aa.named("errors ×2, low traffic").errors(2).traffic(5));
  }

  static List<World> latencyCases() {
    World aa = World.healthy("latency A/A");
    return List.of(
        aa,
        aa.named("latency +10 %").latency(1.1, 1),
        aa.named("latency +50 %").latency(1.5, 1),
        aa.named("tail only: p99 ×2").latency(1, 2));
  }

  // ---- the judges, as plans configure them ------------------------------------------------------

  private static final String RATIO =
      "sum(rate(http_requests_total{version=\"${version}\",code=~\"5..\"}[%s])) / sum(rate(http_requests_total{version=\"${version}\"}[%s]))";

  static Map<String, Object> prometheus(@Nullable String step) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", "prometheus");
    p.put("address", "http://prometheus:9090");
    if (step != null) {
      p.put("step", step);
    }
    return p;
  }

  static List<Contender> errorContenders() {
    Map<String, Object> counts =
        Map.of(
            "bad",
            "sum(increase(http_requests_total{version=\"${version}\",code=~\"5..\"}[${window}]))",
            "total",
            "sum(increase(http_requests_total{version=\"${version}\"}[${window}]))");
    String minute = String.format(RATIO, "1m", "1m");
    String tenSeconds = String.format(RATIO, "10s", "10s");
    return List.of(
        new Contender(
            "threshold max 0.02 on the minute's ratio",
            Map.of(
                "name",
                "error-rate",
                "provider",
                prometheus("1m"),
                "query",
                minute,
                "threshold",
                Map.of("max", 0.02)),
            "1m",
            false),
        new Contender(
            "Mann-Whitney + threshold on rate[1m], the old docs example",
            Map.of(
                "name",
                "error-rate",
                "critical",
                true,
                "direction",
                "increase",
                "nanStrategy",
                "replace",
                "provider",
                prometheus(null),
                "query",
                Map.of("canary", minute, "baseline", minute),
                "threshold",
                Map.of("max", 0.02)),
            "2m",
            false),
        new Contender(
            "Mann-Whitney on independent 10 s ratios",
            Map.of(
                "name",
                "error-rate",
                "direction",
                "increase",
                "provider",
                prometheus("10s"),
                "query",
                Map.of("canary", tenSeconds, "baseline", tenSeconds)),
            "1m",
            false),
        new Contender(
            "sequential on counts (defaults)",
            Map.of("name", "errors", "provider", prometheus(null), "counts", counts),
            "10s",
            false),
        new Contender(
            "oracle SPRT (knows the true ratio)",
            Map.of("name", "errors", "provider", prometheus(null), "counts", counts),
            "10s",
            true));
  }

  static List<Contender> latencyContenders() {
    String p95 =
        "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{version=\"${version}\"}[10s])))";
    return List.of(
        new Contender(
            "Mann-Whitney on independent 10 s p95s",
            Map.of(
                "name",
                "p95-latency",
                "direction",
                "increase",
                "provider",
                prometheus("10s"),
                "query",
                Map.of("canary", p95, "baseline", p95)),
            "1m",
            false),
        new Contender(
            "sequential on the histogram (defaults)",
            Map.of(
                "name",
                "latency",
                "provider",
                prometheus(null),
                "histogram",
                "sum by (le) (increase(http_request_duration_seconds_bucket{version=\"${version}\"}[${window}]))"),
            "10s",
            false));
  }

  /** Held at 5 % for an hour: how often, and how soon, is the canary rolled back. */
  static Map<String, Object> holdPlan(Contender c) {
    return plan(c, List.of(Map.of("setWeight", 5), Map.of("pause", Map.of())), "1h");
  }

  /** 5 % → analysis → 25 % → analysis → 100 %: what is released, and when. */
  static Map<String, Object> gatedPlan(Contender c) {
    return plan(
        c,
        List.of(
            Map.of("setWeight", 5),
            Map.of("analysis", Map.of()),
            Map.of("setWeight", 25),
            Map.of("analysis", Map.of()),
            Map.of("setWeight", 100)),
        "3h");
  }

  private static Map<String, Object> plan(
      Contender c, List<Map<String, Object>> steps, String maxDuration) {
    Map<String, Object> analysis = new LinkedHashMap<>();
    analysis.put("interval", c.interval());
    analysis.put("maxDuration", maxDuration);
    analysis.put("metrics", List.of(c.metric()));
    Map<String, Object> plan = new LinkedHashMap<>();
    plan.put("name", "bench");
    plan.put("steps", steps);
    plan.put("analysis", analysis);
    plan.put("progressDeadline", "4h");
    return plan;
  }

  // ---- running ----------------------------------------------------------------------------------

  Figures measure(Map<String, Object> plan, World world, Duration horizon, boolean oracle) {
    PlanModel model = new PlanModel(plan, judges);
    // consecutive seeds: SplittableRandom mixes its seed, so neighbouring runs are unrelated
    // (seeds a multiple of its increment apart would give the same stream, shifted)
    long base = ((long) world.name().hashCode() << 32) ^ ((long) plan.toString().hashCode() << 12);
    List<Outcome> outcomes =
        IntStream.range(0, runs)
            .parallel()
            .mapToObj(
                run ->
                    model.run(
                        world,
                        base + run,
                        horizon,
                        oracle ? clock -> new OracleJudge(world, clock, 0.01, 1.5) : null))
            .toList();
    return Figures.of(outcomes);
  }

  /** One row of a table: a case, and per contender its hold and gated figures. */
  record Row(World world, Map<String, Figures> hold, Map<String, Figures> gated) {
    Figures hold(String contender) {
      return java.util.Objects.requireNonNull(hold.get(contender), contender);
    }

    Figures gated(String contender) {
      return java.util.Objects.requireNonNull(gated.get(contender), contender);
    }
  }

  List<Row> table(List<World> cases, List<Contender> contenders) {
    List<Row> rows = new ArrayList<>();
    for (World w : cases) {
      Map<String, Figures> hold = new LinkedHashMap<>();
      Map<String, Figures> gated = new LinkedHashMap<>();
      for (Contender c : contenders) {
        long started = System.nanoTime();
        hold.put(c.name(), measure(holdPlan(c), w, Duration.ofHours(1), c.oracle()));
        gated.put(c.name(), measure(gatedPlan(c), w, Duration.ofHours(6), c.oracle()));
        System.err.printf(
            Locale.ROOT,
            "%-32s %-60s %5.1f s%n",
            w.name(),
            c.name(),
            (System.nanoTime() - started) / 1e9);
      }
      rows.add(new Row(w, hold, gated));
    }
    return rows;
  }

  // ---- reporting --------------------------------------------------------------------------------

  static String pct(double v) {
    return String.format(Locale.ROOT, "%.1f %%", v);
  }

  static String min(double v) {
    return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%.1f", v);
  }

  static String markdown(String title, List<Row> rows, List<Contender> contenders) {
    StringBuilder sb = new StringBuilder();
    sb.append("#### ").append(title).append("\n\n");
    sb.append(
        "| case | judge | held at 5 % for 1 h: rolled back | median min | gated 5 → 25 → 100: rolled back | released | median min to release |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      for (Contender c : contenders) {
        Figures h = r.hold(c.name());
        Figures g = r.gated(c.name());
        sb.append("| ")
            .append(r.world().name())
            .append(" | ")
            .append(c.name())
            .append(" | ")
            .append(pct(h.rolledBack()))
            .append(" | ")
            .append(min(h.minutesToRollBack()))
            .append(" | ")
            .append(pct(g.rolledBack()))
            .append(" | ")
            .append(pct(g.promoted()))
            .append(" | ")
            .append(min(g.minutesToPromote()))
            .append(" |\n");
      }
    }
    return sb.toString();
  }

  public static void main(String[] args) throws IOException {
    int runs = 1000;
    Path docs = Path.of("docs");
    boolean examplesOnly = false;
    String matching = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--docs" -> docs = Path.of(args[++i]);
        case "--examples-only" -> examplesOnly = true;
        case "--examples-matching" -> {
          examplesOnly = true;
          matching = args[++i];
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    JudgeBenchmark bench = new JudgeBenchmark(runs);
    if (examplesOnly) {
      DocsExamples.measure(bench, docs, matching);
      return;
    }
    long started = System.nanoTime();
    List<Contender> errorJudges = errorContenders();
    List<Contender> latencyJudges = latencyContenders();
    List<Row> errors = bench.table(errorCases(), errorJudges);
    List<Row> latency = bench.table(latencyCases(), latencyJudges);
    String tables =
        markdown("Error rate (base 1 %, 100 req/s)", errors, errorJudges)
            + "\n"
            + markdown("Latency (log-normal, median 100 ms)", latency, latencyJudges);
    System.out.println(tables);
    String section =
        "Measured by `bench/.../judges/JudgeBenchmark` with "
            + String.format(Locale.ROOT, "%,d", runs)
            + " seeded rollouts a case and judge ("
            + String.format(Locale.ROOT, "%.0f", (System.nanoTime() - started) / 1e9)
            + " s on the 2-core build machine).\n\n"
            + "![The judges on the simulated world](judge-benchmark.svg)\n\n"
            + tables;
    Files.writeString(
        docs.resolve("judge-benchmark.svg"),
        Chart.svg(errors, errorJudges, latency, latencyJudges),
        StandardCharsets.UTF_8);
    replaceBetween(docs.resolve("judges.md"), START, END, section);
    DocsExamples.measure(bench, docs);
  }

  /** Replaces what lies between two markers of a file; the markers must be there. */
  static void replaceBetween(Path file, String start, String end, String content)
      throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int a = text.indexOf(start);
    int b = text.indexOf(end, Math.max(a, 0));
    if (a < 0 || b < 0) {
      throw new IllegalStateException(file + " has no " + start + " ... " + end + " section");
    }
    Files.writeString(
        file,
        text.substring(0, a + start.length()) + "\n" + content + "\n" + text.substring(b),
        StandardCharsets.UTF_8);
  }

  Judges judges() {
    return judges;
  }

  int runs() {
    return runs;
  }

  @Override
  public String toString() {
    return "JudgeBenchmark[runs="
        + runs
        + ", judges="
        + Arrays.toString(judges.types().toArray())
        + "]";
  }
}
