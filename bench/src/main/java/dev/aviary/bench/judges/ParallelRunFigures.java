package dev.aviary.bench.judges;

import dev.aviary.analysis.parallelrun.MismatchRateGate;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The measured promise of a plan's {@code parallelRun} step: the gate ({@link MismatchRateGate}, α
 * = 1 %, as the controller runs it) simulated on seeded comparisons arriving at 100 requests a
 * second times the step's sample after its warm-up, judged every 2 s, for an equal candidate, one
 * at half the limit and one at three times it; times are from the step's start.
 */
final class ParallelRunFigures {

  static final int RUNS = 10_000;
  static final double RATE = 100;
  static final double TICK_SECONDS = 2;

  private ParallelRunFigures() {}

  /** What a run ended in, and when. */
  private record Outcome(MismatchRateGate.Verdict verdict, double seconds) {}

  static String of(Map<?, ?> step) {
    double warmup = seconds(step.get("warmup"), 10);
    double duration = seconds(step.get("duration"), 300);
    double maxDuration = seconds(step.get("maxDuration"), warmup + duration * 3);
    double sample = number(step.get("sample"), 1);
    double max = number(step.get("maxMismatchRate"), 0.01);
    long min = (long) number(step.get("minComparisons"), 1000);
    double bad = max == 0 ? 0.01 : Math.min(0.99, 3 * max);
    return String.format(
        Locale.ROOT,
        "Measured by simulating the gate (%,d seeded runs each, %.0f comparisons a second, judged"
            + " every 2 s): %s; %s; %s.\n",
        RUNS,
        RATE * sample,
        line("an equal candidate", run(0, warmup, duration, maxDuration, sample, max, min, 1)),
        max == 0
            ? "a limit of 0 fails on the first mismatch"
            : line(
                "one mismatching at half the limit (" + pct(max / 2) + ")",
                run(max / 2, warmup, duration, maxDuration, sample, max, min, 2)),
        line(
            "one mismatching at " + pct(bad),
            run(bad, warmup, duration, maxDuration, sample, max, min, 3)));
  }

  private static String line(String who, Outcome[] outcomes) {
    int fail = 0;
    int pass = 0;
    double[] passAt = new double[outcomes.length];
    double[] failAt = new double[outcomes.length];
    for (Outcome o : outcomes) {
      if (o.verdict() == MismatchRateGate.Verdict.FAIL) {
        failAt[fail++] = o.seconds();
      } else if (o.verdict() == MismatchRateGate.Verdict.PASS) {
        passAt[pass++] = o.seconds();
      }
    }
    int paused = outcomes.length - fail - pass;
    return String.format(
        Locale.ROOT,
        "%s passes %s%s, is rolled back %s%s and waits for a person %s",
        who,
        pct((double) pass / outcomes.length),
        pass > 0 ? " (median " + median(passAt, pass) + ")" : "",
        pct((double) fail / outcomes.length),
        fail > 0 ? " (median " + median(failAt, fail) + ")" : "",
        pct((double) paused / outcomes.length));
  }

  private static String median(double[] values, int n) {
    double[] v = Arrays.copyOf(values, n);
    Arrays.sort(v);
    return String.format(Locale.ROOT, "%.0f s", v[n / 2]);
  }

  private static Outcome[] run(
      double rate,
      double warmup,
      double duration,
      double maxDuration,
      double sample,
      double max,
      long min,
      long seed) {
    Outcome[] out = new Outcome[RUNS];
    SplittableRandom random = new SplittableRandom(seed * 7919);
    double perTick = RATE * sample * TICK_SECONDS;
    for (int i = 0; i < RUNS; i++) {
      long compared = 0;
      long mismatched = 0;
      Outcome outcome = null;
      for (double t = warmup + TICK_SECONDS; t <= maxDuration + 1e-9; t += TICK_SECONDS) {
        long n = poisson(random, perTick);
        compared += n;
        mismatched += binomial(random, n, rate);
        MismatchRateGate.Decision d =
            MismatchRateGate.decide(mismatched, compared, max, min, 0.01, t >= warmup + duration);
        if (d.verdict() == MismatchRateGate.Verdict.FAIL
            || d.verdict() == MismatchRateGate.Verdict.PASS) {
          outcome = new Outcome(d.verdict(), t);
          break;
        }
      }
      out[i] =
          outcome != null ? outcome : new Outcome(MismatchRateGate.Verdict.UNDECIDED, maxDuration);
    }
    return out;
  }

  private static long poisson(SplittableRandom r, double mean) {
    // normal approximation: the means here are tens to hundreds
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * r.nextGaussian()));
  }

  private static long binomial(SplittableRandom r, long n, double p) {
    if (p <= 0) {
      return 0;
    }
    long k = 0;
    for (long i = 0; i < n; i++) {
      if (r.nextDouble() < p) {
        k++;
      }
    }
    return k;
  }

  private static double number(@org.jspecify.annotations.Nullable Object o, double absent) {
    return o instanceof Number n ? n.doubleValue() : absent;
  }

  private static double seconds(@org.jspecify.annotations.Nullable Object o, double absent) {
    if (!(o instanceof String s)) {
      return absent;
    }
    return dev.aviary.kernel.Durations.parse(s).map(d -> d.toMillis() / 1000.0).orElse(absent);
  }

  private static String pct(double share) {
    return String.format(Locale.ROOT, "%.2f %%", share * 100);
  }
}
