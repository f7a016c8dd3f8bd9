package dev.aviary.analysis.judge;

import dev.aviary.analysis.stats.Quantiles;
import dev.aviary.analysis.stats.Summary;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How a series is reduced to the one number a threshold is compared with: {@code avg}, {@code max},
 * {@code min}, {@code last}, {@code sum}, {@code median} or a quantile such as {@code p95}.
 */
public record Reducer(Kind kind, double quantile) {

  public enum Kind {
    AVG,
    MAX,
    MIN,
    LAST,
    SUM,
    QUANTILE
  }

  public static final Reducer AVG = new Reducer(Kind.AVG, Double.NaN);

  public Reducer {
    if (kind == Kind.QUANTILE && !(quantile > 0 && quantile < 1)) {
      throw new IllegalArgumentException("quantile must lie in (0, 1), was " + quantile);
    }
  }

  /** Parses {@code avg}, {@code p99}, {@code p99.9}, ...; empty when the text names no reducer. */
  public static Optional<Reducer> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.trim().toLowerCase(Locale.ROOT);
    switch (t) {
      case "avg", "mean" -> {
        return Optional.of(AVG);
      }
      case "median" -> {
        return Optional.of(new Reducer(Kind.QUANTILE, 0.5));
      }
      default -> {}
    }
    for (Kind k : Kind.values()) {
      if (k != Kind.QUANTILE && k.name().toLowerCase(Locale.ROOT).equals(t)) {
        return Optional.of(new Reducer(k, Double.NaN));
      }
    }
    if (t.matches("p\\d{1,2}(\\.\\d+)?")) {
      double q = Double.parseDouble(t.substring(1)) / 100;
      if (q > 0 && q < 1) {
        return Optional.of(new Reducer(Kind.QUANTILE, q));
      }
    }
    return Optional.empty();
  }

  /** The wire form: {@code avg}, {@code p95}, ... */
  public String wireName() {
    if (kind == Kind.QUANTILE) {
      String pct = String.valueOf(quantile * 100).replaceAll("\\.0+$", "");
      return "p" + pct;
    }
    return kind.name().toLowerCase(Locale.ROOT);
  }

  /** Reduces a non-empty, NaN-free series. */
  public double apply(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    return switch (kind) {
      case AVG -> Summary.of(values).mean();
      case MAX -> Arrays.stream(values).max().orElseThrow();
      case MIN -> Arrays.stream(values).min().orElseThrow();
      case LAST -> values[values.length - 1];
      case SUM -> Arrays.stream(values).sum();
      case QUANTILE -> Quantiles.of(values, quantile);
    };
  }
}
