package dev.aviary.controller.notify;

import dev.aviary.controller.platform.QuartzJobs;
import java.time.Duration;
import java.util.Map;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Registers the notification job: every {@code aviary.notifications.poll-interval} (1s). */
@Component
class NotificationScheduling implements SmartInitializingSingleton {

  private final QuartzJobs jobs;
  private final Duration interval;

  NotificationScheduling(
      QuartzJobs jobs, @Value("${aviary.notifications.poll-interval:1s}") Duration interval) {
    this.jobs = jobs;
    this.interval = interval;
  }

  @Override
  public void afterSingletonsInstantiated() {
    JobDetail job =
        JobBuilder.newJob(NotificationJob.class)
            .withIdentity("deliver", "aviary-notifications")
            .storeDurably()
            .build();
    Trigger trigger =
        TriggerBuilder.newTrigger()
            .forJob(job)
            .withIdentity("deliver", "aviary-notifications")
            .withSchedule(
                SimpleScheduleBuilder.simpleSchedule()
                    .withIntervalInMilliseconds(interval.toMillis())
                    .repeatForever()
                    .withMisfireHandlingInstructionNextWithRemainingCount())
            .build();
    jobs.replaceGroup("aviary-notifications", Map.of(job, trigger));
  }
}
