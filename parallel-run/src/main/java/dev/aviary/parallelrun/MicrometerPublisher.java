package dev.aviary.parallelrun;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Publishes results to Micrometer: the counter {@code aviary.experiment.results} by {@code
 * experiment} and {@code outcome} (match, mismatch, ignored, candidate_error, timeout, skipped),
 * and the timer {@code aviary.experiment.duration} by {@code experiment} and {@code behaviour}
 * (control, candidate). Needs micrometer-core on the class path.
 */
public final class MicrometerPublisher implements Publisher {

  private final MeterRegistry registry;

  public MicrometerPublisher(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void publish(Result<?> result) {
    Counter.builder("aviary.experiment.results")
        .description("Experiment runs by how the candidate compared with the control")
        .tag("experiment", result.experiment())
        .tag("outcome", result.outcome().wireName())
        .register(registry)
        .increment();
    time(result, "control", result.control());
    Observation<?> candidate = result.candidate();
    if (candidate != null) {
      time(result, "candidate", candidate);
    }
  }

  private void time(Result<?> result, String behaviour, Observation<?> o) {
    Timer.builder("aviary.experiment.duration")
        .description("Time each behaviour of an experiment took")
        .tag("experiment", result.experiment())
        .tag("behaviour", behaviour)
        .register(registry)
        .record(o.duration());
  }
}
