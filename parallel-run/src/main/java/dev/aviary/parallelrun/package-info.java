/**
 * Experiments inside one service, after GitHub's Scientist: {@code
 * Experiment.named("pricing").control(() -> old()).candidate(() -> neu()).run()} always answers the
 * control's value (or throws its exception); the candidate's value is compared with it and the
 * result published ({@link dev.aviary.parallelrun.Publisher}), to Micrometer and, through a {@link
 * dev.aviary.parallelrun.tally.Tally} and its reporter, to the controller that gates a release on
 * it. No framework needed.
 */
@NullMarked
package dev.aviary.parallelrun;

import org.jspecify.annotations.NullMarked;
