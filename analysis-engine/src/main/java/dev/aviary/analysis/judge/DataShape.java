package dev.aviary.analysis.judge;

/** The kinds of data a metric can deliver, and a judge can judge. */
public enum DataShape {
  /** Values over the window, one per point (a ratio, a latency quantile, a gauge). */
  SERIES,
  /** Exact counts over the window: bad events and all events, for canary and baseline. */
  COUNTS,
  /** Cumulative counts per upper bound of a latency histogram, for canary and baseline. */
  HISTOGRAM
}
