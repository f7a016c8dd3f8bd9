package dev.aviary.controller.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.controller.routing.HeaderRoute;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StepHandlersTest {

  /** One example of every step kind; the test below fails when a kind has none here. */
  private static final List<Step> EXAMPLES =
      List.of(
          new Step.SetWeight(10),
          new Step.Pause(Duration.ofMinutes(5)),
          new Step.Pause(null),
          new Step.Analysis(3, Duration.ofMinutes(10)),
          new Step.Analysis(1, null),
          new Step.ParallelRun(
              Duration.ofSeconds(10),
              Duration.ofMinutes(5),
              0.5,
              0.01,
              1000,
              Duration.ofMinutes(15),
              0.2,
              0.0003),
          new Step.ParallelRun(
              Duration.ZERO, Duration.ofSeconds(30), 1, 0, 10, Duration.ofSeconds(30), 0, 0),
          new Step.Approval(
              Set.of("operator"),
              List.of(),
              Duration.ofHours(24),
              Step.Approval.OnTimeout.PAUSE,
              false),
          new Step.Approval(
              Set.of("admin"),
              List.of("oidc:alice", "token:release-bot"),
              Duration.ofMinutes(90),
              Step.Approval.OnTimeout.ROLLBACK,
              true),
          new Step.SetHeaderRoute(
              "testers",
              new HeaderRoute("testers", HeaderRoute.On.HEADER, "X-Canary", "always", null)),
          new Step.SetHeaderRoute(
              "beta", new HeaderRoute("beta", HeaderRoute.On.COOKIE, "beta", null, "1|y.s")),
          new Step.SetHeaderRoute("testers", null),
          new Step.Mirror(10),
          new Step.Mirror(0));

  @Test
  void everyPermittedStepKindHasAHandlerAndAnExample() {
    for (Class<?> kind : Step.class.getPermittedSubclasses()) {
      Step example =
          EXAMPLES.stream()
              .filter(kind::isInstance)
              .findFirst()
              .orElseThrow(() -> new AssertionError("no example of " + kind.getSimpleName()));
      StepHandler<Step> handler = StepHandlers.of(example);
      assertThat(handler.type()).isEqualTo(kind);
      assertThat(StepHandlers.kinds()).contains(handler.kind());
      assertThat(example.kind()).isEqualTo(handler.kind());
    }
    assertThat(StepHandlers.kinds()).hasSize(Step.class.getPermittedSubclasses().length);
  }

  @Test
  void everyStepReadsBackFromWhatItsHandlerWrites() {
    for (Step step : EXAMPLES) {
      Map<String, Object> written = PlanReaderTest.asMap(StepHandlers.write(step));
      List<SettingViolation> violations = new ArrayList<>();
      SettingsReader reader = new SettingsReader(written, violations);
      Step read =
          StepHandlers.byKind(step.kind())
              .orElseThrow()
              .read(reader, new StepHandler.StepReading(0, true, -1, null));
      assertThat(violations).isEmpty();
      assertThat(read).isEqualTo(step);
      assertThat(StepHandlers.describe(step)).isNotBlank();
    }
  }

  @Test
  void theKindsAreTheDocumentedOnes() {
    assertThat(StepHandlers.kinds())
        .containsExactlyElementsOf(
            Arrays.stream(
                    new String[] {
                      "setWeight",
                      "pause",
                      "analysis",
                      "parallelRun",
                      "approval",
                      "setHeaderRoute",
                      "mirror"
                    })
                .toList());
  }
}
