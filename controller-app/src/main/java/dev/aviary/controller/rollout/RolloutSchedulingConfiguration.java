package dev.aviary.controller.rollout;

import dev.aviary.controller.platform.QuartzJobs;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A few dispatcher jobs, each firing every {@code aviary.scheduler.poll-interval} and draining the
 * rollouts that are due. Capacity grows with {@code aviary.scheduler.dispatchers} and with
 * replicas, not with one trigger per rollout.
 */
@Component
class RolloutSchedulingConfiguration implements SmartInitializingSingleton {

  static final String GROUP = "aviary-rollouts";

  private final QuartzJobs jobs;
  private final int dispatchers;
  private final Duration pollInterval;
  private final Duration budget;

  RolloutSchedulingConfiguration(
      QuartzJobs jobs,
      @Value("${aviary.scheduler.dispatchers:2}") int dispatchers,
      @Value("${aviary.scheduler.poll-interval:500ms}") Duration pollInterval,
      @Value("${aviary.scheduler.drain-budget:5s}") Duration budget) {
    this.jobs = jobs;
    this.dispatchers = dispatchers;
    this.pollInterval = pollInterval;
    this.budget = budget;
  }

  @Override
  public void afterSingletonsInstantiated() {
    Map<JobDetail, Trigger> all = new LinkedHashMap<>();
    for (int i = 0; i < dispatchers; i++) {
      JobDetail job =
          JobBuilder.newJob(RolloutDispatchJob.class)
              .withIdentity("dispatch-" + i, GROUP)
              .usingJobData("budgetMillis", budget.toMillis())
              .storeDurably()
              .build();
      Trigger trigger =
          TriggerBuilder.newTrigger()
              .forJob(job)
              .withIdentity("dispatch-" + i, GROUP)
              .withSchedule(
                  SimpleScheduleBuilder.simpleSchedule()
                      .withIntervalInMilliseconds(pollInterval.toMillis())
                      .repeatForever()
                      .withMisfireHandlingInstructionNextWithRemainingCount())
              .build();
      all.put(job, trigger);
    }
    jobs.replaceGroup(GROUP, all);
  }
}
