package dev.aviary.controller.notify;

import java.time.Duration;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.springframework.scheduling.quartz.QuartzJobBean;

/** Drains the notification outbox; clustered, so one instance delivers each firing. */
@DisallowConcurrentExecution
class NotificationJob extends QuartzJobBean {

  private final NotificationDispatcher dispatcher;

  /** Spring's job factory creates each firing's instance with the dispatcher injected. */
  NotificationJob(NotificationDispatcher dispatcher) {
    this.dispatcher = dispatcher;
  }

  @Override
  protected void executeInternal(JobExecutionContext context) {
    dispatcher.drain(Duration.ofSeconds(10));
  }
}
