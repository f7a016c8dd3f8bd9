package dev.aviary.parallelrun;

import java.util.SortedSet;
import org.jspecify.annotations.Nullable;

/**
 * One run of an experiment.
 *
 * @param experiment the experiment's name
 * @param control what the control did; its value or exception is what the caller got
 * @param candidate what the candidate did; null when it was skipped or timed out
 * @param outcome how they compared
 * @param paths where they differed: field paths for structural comparisons, {@code value} for a
 *     comparator's mismatch, {@code error} for an exception or a timeout; empty on a match
 * @param cleanedControl the control's value as {@code clean} presents it, for publishing
 * @param cleanedCandidate the candidate's value as {@code clean} presents it
 */
public record Result<T>(
    String experiment,
    Observation<T> control,
    @Nullable Observation<T> candidate,
    Outcome outcome,
    SortedSet<String> paths,
    @Nullable Object cleanedControl,
    @Nullable Object cleanedCandidate) {}
