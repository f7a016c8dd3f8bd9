package dev.aviary.controller.platform;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.impl.matchers.GroupMatcher;
import org.springframework.stereotype.Component;

/**
 * Registers a feature's Quartz jobs in the clustered scheduler at start-up, replacing what an
 * earlier version registered in the same group, so that each feature owns its jobs and changing
 * their number or timing takes effect on the next start.
 */
@Component
public class QuartzJobs {

  private final Scheduler scheduler;

  QuartzJobs(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /** Makes {@code group} hold exactly {@code jobs}, each with its trigger. */
  public void replaceGroup(String group, Map<JobDetail, Trigger> jobs) {
    try {
      Set<JobKey> wanted = new HashSet<>();
      jobs.keySet().forEach(j -> wanted.add(j.getKey()));
      for (JobKey existing : scheduler.getJobKeys(GroupMatcher.jobGroupEquals(group))) {
        if (!wanted.contains(existing)) {
          scheduler.deleteJob(existing);
        }
      }
      for (Map.Entry<JobDetail, Trigger> e : jobs.entrySet()) {
        scheduler.scheduleJob(e.getKey(), Set.of(e.getValue()), true);
      }
    } catch (SchedulerException e) {
      throw new IllegalStateException("cannot register the Quartz jobs of group " + group, e);
    }
  }
}
