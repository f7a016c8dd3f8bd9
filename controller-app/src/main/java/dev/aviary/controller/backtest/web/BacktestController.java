package dev.aviary.controller.backtest.web;

import dev.aviary.controller.backtest.BacktestReport;
import dev.aviary.controller.backtest.BacktestRequest;
import dev.aviary.controller.backtest.BacktestService;
import dev.aviary.controller.backtest.PlanCheck;
import dev.aviary.controller.platform.InvalidRequestException;
import dev.aviary.controller.platform.web.ObjectBody;
import dev.aviary.controller.platform.web.Requests;
import dev.aviary.kernel.Parsed;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/plans/{name}/backtest}: how the plan would have judged a past range; {@code
 * POST /api/v1/plans/{name}/check}: what its queries answer now.
 */
@RestController
@Tag(name = "Plans", description = "Reusable definitions of how a service is released")
class BacktestController {

  private final BacktestService backtests;
  private final PlanCheck checks;
  private final Requests requests;

  BacktestController(BacktestService backtests, PlanCheck checks, Requests requests) {
    this.backtests = backtests;
    this.checks = checks;
    this.requests = requests;
  }

  @PostMapping(
      path = "/api/v1/plans/{name}/check",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "checkPlan",
      summary = "Run a plan's queries once, for the last window, and show what came back",
      description =
          "Renders every metric's queries with the variables a rollout of the given version would"
              + " use, runs them for the last analysis interval, and answers each query as sent,"
              + " the values or counts that came back (or the backend's error, or why there was no"
              + " data) and how the window would be judged. Stores nothing, moves no traffic.")
  PlanCheck.Report check(
      @PathVariable String name,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON_VALUE,
                      schema = @Schema(implementation = CheckRequestDocument.class)))
          @RequestBody
          ObjectBody body) {
    Map<String, Object> document = requests.object(body.document());
    List<SettingViolation> violations = new ArrayList<>();
    SettingsReader r = new SettingsReader(document, violations);
    Map<String, String> canary = BacktestRequest.scope(r, "canary");
    Map<String, String> baseline = BacktestRequest.scope(r, "baseline");
    r.rejectUnknown();
    if (!violations.isEmpty()) {
      throw new InvalidRequestException(violations);
    }
    return checks.run(name, canary, baseline);
  }

  /**
   * What to check the plan's queries with.
   *
   * @param canary the canary's variables: its {@code version} (required) and whatever the queries
   *     use
   * @param baseline the baseline's variables
   */
  @Schema(
      name = "PlanCheckRequest",
      example = "{\"canary\": {\"version\": \"1.4.2\"}, \"baseline\": {\"version\": \"1.4.1\"}}")
  record CheckRequestDocument(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Map<String, String> canary,
      Map<String, String> baseline) {}

  @PostMapping(
      path = "/api/v1/plans/{name}/backtest",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      operationId = "backtestPlan",
      summary = "Replay a plan's analysis over a past range",
      description =
          "Fetches the plan's metrics for [from, to] from their provider (range queries) and"
              + " judges the windows as rollouts would have: without a canary, the baseline's"
              + " traffic split against itself (every rollback is a false one); with one, the"
              + " canary against the baseline. Reports each tick's decision and the rate of"
              + " rollbacks. Writes nothing; 502 when the metrics backend fails.")
  BacktestReport backtest(
      @PathVariable String name,
      @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content =
                  @Content(
                      mediaType = MediaType.APPLICATION_JSON_VALUE,
                      schema = @Schema(implementation = BacktestRequestDocument.class)))
          @RequestBody
          ObjectBody body) {
    Map<String, Object> document = requests.object(body.document());
    Parsed<BacktestRequest> request = BacktestRequest.read(document);
    if (!request.valid()) {
      throw new InvalidRequestException(request.violations());
    }
    return backtests.run(name, request.get());
  }

  /**
   * The request's shape.
   *
   * @param from start of the range, RFC 3339
   * @param to end of the range (now at the latest)
   * @param baseline the baseline's variables, its {@code version} and whatever the queries use
   * @param canary a canary's variables (a version that ran then); absent: the baseline against
   *     itself
   * @param weight the canary's share of the split, in percent; the plan's first weight by default
   * @param seed the split's seed
   */
  @Schema(
      name = "BacktestRequest",
      example =
          "{\"from\": \"2026-11-24T00:00:00Z\", \"to\": \"2026-11-25T00:00:00Z\", \"baseline\":"
              + " {\"version\": \"1.4.1\"}}")
  record BacktestRequestDocument(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String from,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String to,
      Map<String, String> baseline,
      Map<String, String> canary,
      Integer weight,
      Long seed) {}
}
