/**
 * Backtests: a plan's analysis replayed over a past range of its metrics, as if a rollout had run
 * then ({@link dev.aviary.controller.backtest.BacktestService}). Writes nothing.
 */
@ApplicationModule(
    displayName = "Backtests",
    allowedDependencies = {"platform", "platform :: web", "plan", "analysis"})
@NullMarked
package dev.aviary.controller.backtest;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
