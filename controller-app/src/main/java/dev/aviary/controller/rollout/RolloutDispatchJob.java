package dev.aviary.controller.rollout;

import java.time.Duration;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.springframework.scheduling.quartz.QuartzJobBean;

/**
 * The Quartz job behind every dispatcher trigger: drains due rollouts for a while. Quartz runs
 * clustered on the shared database, so each firing happens on one instance; several dispatcher jobs
 * let several instances (and threads) share the work.
 */
@DisallowConcurrentExecution
class RolloutDispatchJob extends QuartzJobBean {

  private final RolloutDispatcher dispatcher;
  private Duration budget = Duration.ofSeconds(5);

  /** Spring's job factory creates each firing's instance with the dispatcher injected. */
  RolloutDispatchJob(RolloutDispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  /** From the job's data map: how long one firing may keep draining. */
  public void setBudgetMillis(long budgetMillis) {
    this.budget = Duration.ofMillis(budgetMillis);
  }

  @Override
  protected void executeInternal(JobExecutionContext context) {
    dispatcher.drain(budget);
  }
}
