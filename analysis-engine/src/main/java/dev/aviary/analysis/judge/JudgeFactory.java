package dev.aviary.analysis.judge;

import dev.aviary.kernel.SettingsReader;
import java.util.Set;

/**
 * One kind of judge: its name, the data it judges, its default options, and how its options are
 * read. Each judge lives in its own sub-package, has a public no-argument constructor, and is
 * registered with one line in {@code META-INF/services/dev.aviary.analysis.judge.JudgeFactory};
 * {@link Judges#discover()} finds it there.
 */
public interface JudgeFactory {

  /** The name plans and requests use in {@code judge.type}. */
  String type();

  /** What a metric must deliver for this judge to judge it. */
  Set<DataShape> shapes();

  /** Whether the judge compares the canary with a baseline (false: thresholds alone). */
  default boolean comparesWithBaseline() {
    return true;
  }

  /** The shapes this judge judges when a plan names no judge for them. */
  default Set<DataShape> defaultFor() {
    return Set.of();
  }

  /** The options when a plan names the judge without any. */
  JudgeOptions defaults();

  /**
   * Reads this judge's options from the {@code judge} object (its {@code type} already read),
   * reporting every problem to {@code options} and rejecting unknown fields.
   */
  JudgeOptions read(SettingsReader options);
}
