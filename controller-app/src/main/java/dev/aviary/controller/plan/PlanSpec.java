package dev.aviary.controller.plan;

import dev.aviary.controller.routing.HeaderRoute;
import dev.aviary.controller.routing.Routes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A validated rollout plan: how one service is released.
 *
 * @param name DNS-label style, unique
 * @param description free text, may be empty
 * @param labels for selecting plans
 * @param router which traffic router to drive, with its settings
 * @param steps the ramp, in order
 * @param analysis how the canary is judged; null when the plan has no metrics
 * @param notifications webhooks told of every transition
 * @param progressDeadline how long a rollout may go without progress before it is rolled back
 * @param windows when rollouts may raise traffic; empty: always
 * @param hooks HTTP calls at fixed points: gates that must say go, and calls that only tell
 */
public record PlanSpec(
    String name,
    String description,
    Map<String, String> labels,
    RouterSpec router,
    List<Step> steps,
    @Nullable AnalysisSpec analysis,
    List<NotificationSpec> notifications,
    Duration progressDeadline,
    List<ReleaseWindow> windows,
    List<Hook> hooks) {

  public static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(10);

  public PlanSpec {
    labels = Map.copyOf(labels);
    steps = List.copyOf(steps);
    notifications = List.copyOf(notifications);
    windows = List.copyOf(windows);
    hooks = List.copyOf(hooks);
  }

  /** A plan without hooks. */
  public PlanSpec(
      String name,
      String description,
      Map<String, String> labels,
      RouterSpec router,
      List<Step> steps,
      @Nullable AnalysisSpec analysis,
      List<NotificationSpec> notifications,
      Duration progressDeadline,
      List<ReleaseWindow> windows) {
    this(
        name,
        description,
        labels,
        router,
        steps,
        analysis,
        notifications,
        progressDeadline,
        windows,
        List.of());
  }

  /**
   * Where the plan's rollouts report: its notification channels, and its hooks after promotion and
   * on rollback, which are deliveries of the event to the hook's URL (signed, with the
   * notifications' retries).
   */
  public List<NotificationSpec> deliveries() {
    List<NotificationSpec> all = new java.util.ArrayList<>(notifications);
    for (Hook h : hooks) {
      if (h.at() == Hook.Point.AFTER_PROMOTION) {
        all.add(
            new NotificationSpec.Webhook(
                h.url(), h.signingSecret(), false, java.util.Set.of(NotificationEvent.PROMOTED)));
      } else if (h.at() == Hook.Point.ON_ROLLBACK) {
        all.add(
            new NotificationSpec.Webhook(
                h.url(),
                h.signingSecret(),
                false,
                java.util.Set.of(NotificationEvent.ROLLING_BACK)));
      }
    }
    return all;
  }

  /** The hooks called at {@code point}, in the plan's order. */
  public List<Hook> hooksAt(Hook.Point point) {
    return hooks.stream().filter(h -> h.at() == point).toList();
  }

  /** A plan that may raise traffic at any time. */
  public PlanSpec(
      String name,
      String description,
      Map<String, String> labels,
      RouterSpec router,
      List<Step> steps,
      @Nullable AnalysisSpec analysis,
      List<NotificationSpec> notifications,
      Duration progressDeadline) {
    this(
        name,
        description,
        labels,
        router,
        steps,
        analysis,
        notifications,
        progressDeadline,
        List.of());
  }

  /** Whether this plan judges the canary at all. */
  public boolean hasAnalysis() {
    return analysis != null && !analysis.metrics().isEmpty();
  }

  /** Whether any step routes by header or cookie, or mirrors. */
  public boolean hasRoutes() {
    return steps.stream()
        .anyMatch(s -> s instanceof Step.SetHeaderRoute || s instanceof Step.Mirror);
  }

  /**
   * The header routes and mirroring that the steps up to and including {@code index} ask for (all
   * steps when it is past the last; none when it is negative), for a rollout releasing to the
   * canary servers.
   */
  public Routes routesThrough(int index) {
    Routes routes = Routes.NONE;
    for (int i = 0; i <= index && i < steps.size(); i++) {
      Step step = steps.get(i);
      if (step instanceof Step.SetHeaderRoute h) {
        HeaderRoute route = h.route();
        routes = route == null ? routes.without(h.name()) : routes.with(route);
      } else if (step instanceof Step.Mirror m) {
        routes = routes.mirroring(m.percent());
      }
    }
    return routes;
  }
}
