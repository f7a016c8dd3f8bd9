package dev.aviary.controller.plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The step kinds plans can use; a new kind adds its handler to {@link #ALL}. */
public final class StepHandlers {

  private static final List<StepHandler<?>> ALL =
      List.of(
          new SetWeightStep(),
          new PauseStep(),
          new AnalysisStep(),
          new ParallelRunStep(),
          new ApprovalStep(),
          new SetHeaderRouteStep(),
          new MirrorStep());

  private static final Map<String, StepHandler<?>> BY_KIND = new LinkedHashMap<>();
  private static final Map<Class<?>, StepHandler<?>> BY_TYPE = new LinkedHashMap<>();

  static {
    for (StepHandler<?> h : ALL) {
      BY_KIND.put(h.kind(), h);
      BY_TYPE.put(h.type(), h);
    }
  }

  private StepHandlers() {}

  /** The names plans write, in the order they are documented. */
  public static Set<String> kinds() {
    return BY_KIND.keySet();
  }

  static Optional<StepHandler<?>> byKind(String kind) {
    return Optional.ofNullable(BY_KIND.get(kind));
  }

  /**
   * The handler of {@code step}'s kind.
   *
   * @throws IllegalStateException for a step kind without a handler (a test prevents it)
   */
  @SuppressWarnings("unchecked") // BY_TYPE maps each class to the handler of that very class
  public static <S extends Step> StepHandler<S> of(S step) {
    StepHandler<?> h = BY_TYPE.get(step.getClass());
    if (h == null) {
      throw new IllegalStateException("no step handler for " + step.getClass().getName());
    }
    return (StepHandler<S>) h;
  }

  /** The step's one-line description. */
  public static String describe(Step step) {
    return of(step).describe(step);
  }

  /** What {@code step} asks of the plan's router beyond a weighted split. */
  public static java.util.Set<dev.aviary.controller.routing.RouterCapability> requires(Step step) {
    return requiresOf(of(step), step);
  }

  private static <S extends Step>
      java.util.Set<dev.aviary.controller.routing.RouterCapability> requiresOf(
          StepHandler<S> handler, S step) {
    return handler.requires(step);
  }

  /** Whether a person's resume completes {@code step}. */
  public static boolean completedByResume(Step step) {
    return of(step).completedByResume();
  }

  /** What entering {@code step} asks of the rollout. */
  public static StepHandler.Entry enter(Step step, StepRun run) {
    return of(step).enter(step, run);
  }

  /** Whether the rollout may move past {@code step}. */
  public static boolean complete(Step step, StepRun run) {
    return of(step).complete(step, run);
  }

  /** Who may answer an approval step, in words. */
  public static String whoMayAnswer(Step.Approval step) {
    return ApprovalStep.whoMayAnswer(step);
  }

  /** The canonical document of {@code step}. */
  static PlanDocument.StepDocument write(Step step) {
    return of(step).write(step);
  }
}
