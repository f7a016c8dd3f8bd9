package dev.aviary.controller.backtest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How a plan would have judged a past range: rehearsal after rehearsal, each one analysis step held
 * for the analysis's {@code maxDuration} from a fresh start (or until rolled back), tick by tick.
 *
 * @param plan the plan
 * @param revision its revision
 * @param from start of the range
 * @param to end of it
 * @param interval the plan's analysis interval
 * @param mode {@code baseline-against-itself} (the baseline's traffic split by {@code weight}: a
 *     false-rollback rehearsal) or {@code canary-against-baseline}
 * @param weight the canary's share in the split, in percent (baseline against itself only)
 * @param rehearsals how many rehearsals the range held
 * @param rolledBack how many of them the plan would have rolled back
 * @param passed how many passed (a passing analysis, as a step needs to move on) and were not
 *     rolled back
 * @param undecided how many did neither within {@code maxDuration}
 * @param rollbackRate rolled back / rehearsals
 * @param medianMinutesToPass the median time from a rehearsal's start to its first passing tick
 * @param ticks every tick, in order
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BacktestReport(
    String plan,
    int revision,
    Instant from,
    Instant to,
    String interval,
    String mode,
    @Nullable Integer weight,
    int rehearsals,
    int rolledBack,
    int passed,
    int undecided,
    double rollbackRate,
    @Nullable Double medianMinutesToPass,
    List<Tick> ticks) {

  /**
   * One replayed tick.
   *
   * @param rehearsal which rehearsal it belongs to, from 0
   * @param start start of its window
   * @param end end of it
   * @param verdict the judgement's verdict
   * @param outcome what it meant: SUCCESS, FAILURE, INCONCLUSIVE, UNDECIDED
   * @param decision what the rehearsal did: waiting, passed, passing, failed, rolled back,
   *     inconclusive, undecided (maxDuration reached)
   * @param summary the verdict, score and each metric's classification and reason
   */
  @Schema(name = "BacktestTick")
  public record Tick(
      int rehearsal,
      Instant start,
      Instant end,
      String verdict,
      String outcome,
      String decision,
      String summary) {}
}
