package dev.aviary.controller.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A plan document in its canonical form — every default filled in — as Aviary stores it, answers
 * it, and accepts it back. {@link PlanWriter} writes it from a validated plan; {@link PlanReader}
 * reads any document of this shape, naming every violation. Only the settings of adapters (router,
 * metric provider, judge) are free-form: each adapter checks its own.
 *
 * @param name DNS label, unique
 * @param description free text
 * @param labels for selecting plans (label selectors of pipeline tokens, list filters)
 * @param router {@code type} and that router's settings
 * @param steps the ramp, in order; each step holds exactly one of its fields
 * @param analysis how the canary is judged; absent when the plan has no metrics
 * @param notifications webhooks told of every transition
 * @param progressDeadline how long a rollout may go without progress before it is rolled back
 * @param windows when rollouts may raise traffic; absent: always
 * @param blueGreen instead of steps: a preview route, its analysis, one switch (stored as steps)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(
    example =
        "{\"name\": \"checkout\", \"router\": {\"type\": \"dry-run\"}, \"steps\": [{\"setWeight\":"
            + " 10}, {\"pause\": {\"duration\": \"30s\"}}, {\"setWeight\": 50}, {\"setWeight\":"
            + " 100}]}")
public record PlanDocument(
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "checkout") String name,
    @Nullable String description,
    @Nullable Map<String, String> labels,
    @Schema(
            requiredMode = Schema.RequiredMode.REQUIRED,
            description =
                "{\"type\": a router type (haproxy, nginx, gateway-api, istio, alb, lambda, webhook,"
                    + " dry-run),"
                    + " ...that router's settings}; see docs/routers.md",
            example = "{\"type\": \"dry-run\"}")
        Map<String, Object> router,
    @Schema(description = "required unless blueGreen is given") @Nullable List<StepDocument> steps,
    @Nullable AnalysisDocument analysis,
    @Nullable List<NotificationDocument> notifications,
    @Schema(example = "10m") @Nullable String progressDeadline,
    @Nullable List<WindowDocument> windows,
    @Nullable List<HookDocument> hooks,
    @Nullable BlueGreenDocument blueGreen) {

  /** A stored plan: its blue/green strategy, if it had one, is written as the steps it became. */
  public PlanDocument(
      String name,
      @Nullable String description,
      @Nullable Map<String, String> labels,
      Map<String, Object> router,
      List<StepDocument> steps,
      @Nullable AnalysisDocument analysis,
      @Nullable List<NotificationDocument> notifications,
      @Nullable String progressDeadline,
      @Nullable List<WindowDocument> windows,
      @Nullable List<HookDocument> hooks) {
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
        hooks,
        null);
  }

  /**
   * Blue/green instead of {@code steps} (docs/routers.md#blue-green): the new version is reached
   * only through the preview route while it is judged, then all traffic switches to it in one
   * change, and the old version stays ready for {@code scaleDownDelay}. Stored and answered as the
   * steps it stands for.
   *
   * @param preview the route to the new version: one of header, cookie and one of value, regex
   * @param previewAnalyses passing analyses of the preview before the switch (1; needs analysis)
   * @param previewDuration and at least this long
   * @param autoPromote switch without a person (default: when the plan has analysis)
   * @param scaleDownDelay how long the old version stays ready after the switch (30s; 0s: none)
   */
  @Schema(name = "PlanBlueGreen")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BlueGreenDocument(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) HeaderMatchDocument preview,
      @Nullable Integer previewAnalyses,
      @Schema(example = "10m") @Nullable String previewDuration,
      @Nullable Boolean autoPromote,
      @Schema(example = "30s") @Nullable String scaleDownDelay) {}

  /**
   * A hook: an HTTP call at a fixed point of a rollout (docs/plans.md, "Hooks").
   *
   * @param name unique in the plan
   * @param at beforeRollout, beforeWeightIncrease, beforePromotion (gates: the rollout waits for
   *     go), afterPromotion or onRollback (calls that only tell)
   * @param url where to POST
   * @param signingSecret the body is then signed with HMAC-SHA256
   * @param timeout gates: how long the receiver may take to say go (5m; at most 24h)
   * @param retries gates: failed calls in a row tolerated (2; at most 10)
   * @param onFailure gates: rollback (the default) or pause
   */
  @Schema(name = "PlanHook")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HookDocument(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "load-test") String name,
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              allowableValues = {
                "beforeRollout",
                "beforeWeightIncrease",
                "beforePromotion",
                "afterPromotion",
                "onRollback"
              })
          String at,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String url,
      @Nullable SecretDocument signingSecret,
      @Schema(example = "10m") @Nullable String timeout,
      @Nullable Integer retries,
      @Schema(allowableValues = {"rollback", "pause"}) @Nullable String onFailure) {}

  /**
   * A release window: rollouts raise traffic only while one of the plan's windows is open.
   *
   * @param days the days it opens on: {@code mon}..{@code sun} and ranges such as {@code mon-fri};
   *     every day when absent
   * @param from when it opens, {@code HH:mm} local time
   * @param to when it closes; not after {@code from}: the next day
   * @param timeZone an IANA time zone such as {@code Europe/Berlin}; UTC when absent
   */
  @Schema(name = "PlanWindow")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record WindowDocument(
      @ArraySchema(schema = @Schema(example = "mon-fri")) @Nullable List<String> days,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "09:00") String from,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "17:00") String to,
      @Schema(example = "Europe/Berlin") @Nullable String timeZone) {}

  /**
   * One step: exactly one of its fields is set.
   *
   * @param setWeight send this percentage of traffic to the canary
   * @param pause wait for a time, or for a person when it has no duration
   * @param analysis hold until analyses have passed
   * @param parallelRun compare the candidate's answers with the trusted version's before any
   *     traffic moves
   * @param approval wait until a person with the right role approves
   * @param setHeaderRoute send requests with a header or cookie to the new version
   * @param mirror copy a share of requests to the new version, its answers thrown away
   */
  @Schema(name = "PlanStep")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record StepDocument(
      @Schema(minimum = "0", maximum = "100") @Nullable Integer setWeight,
      @Nullable PauseDocument pause,
      @Nullable AnalysisStepDocument analysis,
      @Nullable ParallelRunDocument parallelRun,
      @Nullable ApprovalDocument approval,
      @Nullable HeaderRouteDocument setHeaderRoute,
      @Nullable MirrorDocument mirror) {

    public StepDocument(
        @Nullable Integer setWeight,
        @Nullable PauseDocument pause,
        @Nullable AnalysisStepDocument analysis) {
      this(setWeight, pause, analysis, null, null, null, null);
    }

    public StepDocument(
        @Nullable Integer setWeight,
        @Nullable PauseDocument pause,
        @Nullable AnalysisStepDocument analysis,
        @Nullable ParallelRunDocument parallelRun,
        @Nullable ApprovalDocument approval) {
      this(setWeight, pause, analysis, parallelRun, approval, null, null);
    }

    static StepDocument headerRoute(HeaderRouteDocument route) {
      return new StepDocument(null, null, null, null, null, route, null);
    }

    static StepDocument mirror(MirrorDocument mirror) {
      return new StepDocument(null, null, null, null, null, null, mirror);
    }
  }

  /**
   * A header route step; see docs/routers.md#header-and-cookie-routes.
   *
   * @param name the route's name; a later step of the same name replaces or removes it
   * @param match what requests it sends to the new version; absent: remove the route
   */
  @Schema(name = "PlanHeaderRoute")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HeaderRouteDocument(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "testers") String name,
      @Nullable HeaderMatchDocument match) {}

  /**
   * Which requests a header route sends to the new version: exactly one of {@code header}, {@code
   * cookie}, and exactly one of {@code value}, {@code regex}.
   *
   * @param header a header's name, matched without regard to case
   * @param cookie a cookie's name
   * @param value the value, matched exactly
   * @param regex a regular expression the whole value must match
   */
  @Schema(name = "PlanHeaderMatch")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record HeaderMatchDocument(
      @Schema(example = "X-Canary") @Nullable String header,
      @Nullable String cookie,
      @Schema(example = "always") @Nullable String value,
      @Nullable String regex) {}

  /**
   * A mirror step; see docs/routers.md#mirroring.
   *
   * @param percent the share of requests copied to the new version, 0 to 100 (0 stops copying)
   */
  @Schema(name = "PlanMirror")
  public record MirrorDocument(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", maximum = "100")
          int percent) {}

  /**
   * An approval step; see docs/plans.md#approvals.
   *
   * @param roles who may approve or reject: callers holding one of these roles, operator or admin
   *     (with the role hierarchy: an admin holds operator too)
   * @param approvers if set, only these callers (their actor names, such as {@code oidc:alice} or
   *     {@code token:release-bot}) and only if they also hold one of the roles
   * @param timeout how long the step waits for an answer
   * @param onTimeout what an unanswered step does then
   * @param excludeStarter whether the caller who started the rollout is barred from answering
   */
  @Schema(name = "PlanApproval")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ApprovalDocument(
      @ArraySchema(schema = @Schema(allowableValues = {"operator", "admin"}))
          @Nullable List<String> roles,
      @Schema(example = "[\"oidc:alice\", \"oidc:bob\"]") @Nullable List<String> approvers,
      @Schema(example = "4h") @Nullable String timeout,
      @Schema(allowableValues = {"pause", "rollback"}) @Nullable String onTimeout,
      @Nullable Boolean excludeStarter) {}

  /**
   * A parallel run; see docs/parallel-run.md.
   *
   * @param warmup how long after the step begins comparisons are not judged (a cold candidate)
   * @param duration the least time to compare after the warm-up
   * @param sample the share of requests the proxy copies to the candidate, (0, 1]
   * @param maxMismatchRate the largest share of comparisons that may differ (noise removed)
   * @param minComparisons the fewest comparisons a pass needs
   * @param maxDuration how long the step may stay undecided before it pauses for a person
   * @param noise when a field's differences are noise: {@code relative} and {@code absolute}
   *     thresholds against the secondary's differences
   */
  @Schema(name = "PlanParallelRun")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ParallelRunDocument(
      @Schema(example = "10s") @Nullable String warmup,
      @Schema(example = "5m") @Nullable String duration,
      @Schema(example = "1.0") @Nullable Double sample,
      @Schema(example = "0.01") @Nullable Double maxMismatchRate,
      @Schema(example = "1000") @Nullable Long minComparisons,
      @Schema(example = "15m") @Nullable String maxDuration,
      @Nullable NoiseDocument noise) {}

  /**
   * Noise thresholds.
   *
   * @param relative the least {@code (c − s)/(c + s)} of a real difference
   * @param absolute the least {@code c − s} of a real difference
   */
  @Schema(name = "PlanParallelRunNoise")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NoiseDocument(@Nullable Double relative, @Nullable Double absolute) {}

  /**
   * A pause.
   *
   * @param duration how long; absent: until a person resumes
   */
  @Schema(name = "PlanPause")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record PauseDocument(@Schema(example = "5m") @Nullable String duration) {}

  /**
   * An analysis step.
   *
   * @param count passing analyses needed
   * @param duration the least time to hold
   */
  @Schema(name = "PlanAnalysisStep")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AnalysisStepDocument(
      @Nullable Integer count, @Schema(example = "10m") @Nullable String duration) {}

  /**
   * How the canary is judged.
   *
   * @param interval time between analyses
   * @param warmup after each weight change, how long to wait before judging
   * @param failureLimit failed analyses tolerated; one more rolls back
   * @param inconclusiveLimit inconclusive analyses tolerated; one more pauses for a person
   * @param consecutiveErrorLimit metric-backend errors in a row tolerated
   * @param errorAction what one error more than the limit does: pause for a person (default) or
   *     rollback
   * @param thresholds score thresholds
   * @param judge {@code type} and that judge's options; see docs/judges.md
   * @param groupWeights weights of the metric groups, in percent
   * @param maxDuration how long an analysis step may stay undecided before onUndecided acts
   * @param onUndecided pause (for a person) or rollback
   * @param metrics what to measure and how to judge it
   */
  @Schema(name = "PlanAnalysis")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AnalysisDocument(
      @Schema(example = "1m") @Nullable String interval,
      @Schema(example = "0s") @Nullable String warmup,
      @Nullable Integer failureLimit,
      @Nullable Integer inconclusiveLimit,
      @Nullable Integer consecutiveErrorLimit,
      @Schema(allowableValues = {"rollback", "pause"}) @Nullable String errorAction,
      @Nullable ScoreThresholdsDocument thresholds,
      @Schema(
              description =
                  "{\"type\": a judge (sequential, mann-whitney, threshold), ...its options}",
              example =
                  "{\"type\": \"sequential\", \"alpha\": 0.01, \"allowedIncrease\": 1,"
                      + " \"maxIncrease\": 1.5}")
          @Nullable Map<String, Object> judge,
      @Nullable Map<String, Double> groupWeights,
      @Schema(example = "1h") @Nullable String maxDuration,
      @Schema(allowableValues = {"pause", "rollback"}) @Nullable String onUndecided,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<MetricDocument> metrics) {}

  /**
   * Score thresholds.
   *
   * @param pass at or above: PASS
   * @param marginal at or above: MARGINAL, below: FAIL
   */
  @Schema(name = "ScoreThresholds")
  public record ScoreThresholdsDocument(@Nullable Double pass, @Nullable Double marginal) {}

  /**
   * One metric.
   *
   * @param name unique within the plan
   * @param provider {@code type} and that metric provider's settings
   * @param query a series: the query template for the canary, and for the baseline when it is
   *     compared
   * @param counts a count metric: templates of the window's bad events and all events, each
   *     rendered for canary and baseline
   * @param histogram a latency histogram: a template returning one series per bucket ({@code le})
   *     for the window, rendered for canary and baseline
   * @param seriesAggregation how several returned series become one: sum, avg, min, max
   * @param judge this metric's own judge, when it differs from the analysis' judge
   * @param direction which movement fails the canary: increase, decrease, either
   * @param threshold absolute bounds for the canary
   * @param critical a failure fails the whole analysis
   * @param mustHaveData no data counts as a failure
   * @param muted judged and shown, left out of the score
   * @param group scoring group
   * @param weight weight within its group
   * @param nanStrategy gaps: remove or replace (with 0)
   * @param outliers outlier removal
   * @param effectSize mean-ratio gates
   * @param template a router's ready-made metric or a stored metric template, instead of queries
   * @param templateRevision the stored template's revision this metric keeps to; absent: the latest
   *     (a rollout keeps the one it started with)
   * @param variables values of the stored template's parameters
   */
  @Schema(name = "PlanMetric")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MetricDocument(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String name,
      @Schema(
              description =
                  "{\"type\": prometheus, datadog, newrelic, cloudwatch, influxdb, graphite,"
                      + " loki or web, ...that provider's settings}; required unless a stored"
                      + " metric template names one",
              example = "{\"type\": \"prometheus\", \"address\": \"http://prometheus:9090\"}")
          @Nullable Map<String, Object> provider,
      @Nullable QueryDocument query,
      @Nullable CountsDocument counts,
      @Schema(
              example =
                  "sum by (le) (increase(http_request_duration_seconds_bucket{version=\"${version}\"}[${window}]))")
          @Nullable String histogram,
      @Nullable String seriesAggregation,
      @Nullable Map<String, Object> judge,
      @Schema(allowableValues = {"increase", "decrease", "either"}) @Nullable String direction,
      @Nullable ThresholdDocument threshold,
      @Nullable Boolean critical,
      @Nullable Boolean mustHaveData,
      @Nullable Boolean muted,
      @Nullable String group,
      @Nullable Double weight,
      @Schema(allowableValues = {"remove", "replace"}) @Nullable String nanStrategy,
      @Nullable OutliersDocument outliers,
      @Nullable EffectSizeDocument effectSize,
      @Schema(
              description =
                  "instead of queries: a ready-made count metric of the plan's router, such as"
                      + " http-error-rate (haproxy), or a stored metric template"
                      + " (/api/v1/metric-templates)",
              example = "http-error-rate")
          @Nullable String template,
      @Schema(minimum = "1") @Nullable Integer templateRevision,
      @Schema(
              description = "values of the stored template's parameters",
              example = "{\"service\": \"checkout\"}")
          @Nullable Map<String, String> variables) {}

  /**
   * Query templates with {@code ${variable}} placeholders. A plain string is accepted too, for
   * {@code canary} alone.
   *
   * @param canary rendered with the canary's variables
   * @param baseline rendered with the baseline's variables; absent when only thresholds apply
   */
  @Schema(name = "MetricQuery")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record QueryDocument(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) @Nullable String canary,
      @Nullable String baseline) {}

  /**
   * A count metric's templates, each rendered for canary and baseline; {@code ${window}} is the
   * window's length.
   *
   * @param bad the window's bad events
   * @param total the window's events
   * @param baseline the baseline's own templates; absent when both sides share these
   */
  @Schema(name = "MetricCounts")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record CountsDocument(
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              example =
                  "sum(increase(http_requests_total{version=\"${version}\",code=~\"5..\"}[${window}]))")
          String bad,
      @Schema(
              requiredMode = Schema.RequiredMode.REQUIRED,
              example = "sum(increase(http_requests_total{version=\"${version}\"}[${window}]))")
          String total,
      @Nullable CountsSideDocument baseline) {}

  /**
   * The baseline's own count templates, where the two sides are told apart by more than the version
   * (a router's stable and canary servers).
   *
   * @param bad the baseline's bad events
   * @param total the baseline's events
   */
  @Schema(name = "MetricCountsSide")
  public record CountsSideDocument(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String bad,
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String total) {}

  /**
   * Absolute bounds.
   *
   * @param min below: LOW
   * @param max above: HIGH
   * @param reducer how the window's values become one: avg, max, min, last, sum, median, p95...
   */
  @Schema(name = "MetricThreshold")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ThresholdDocument(
      @Nullable Double min, @Nullable Double max, @Nullable String reducer) {}

  /**
   * Outlier removal.
   *
   * @param strategy remove or keep
   * @param factor the IQR factor
   */
  @Schema(name = "Outliers")
  public record OutliersDocument(@Nullable String strategy, @Nullable Double factor) {}

  /**
   * Mean-ratio gates.
   *
   * @param allowedIncrease a higher canary fails only from this ratio on
   * @param allowedDecrease a lower canary fails only from this ratio down
   * @param criticalIncrease a critical metric fails the analysis from this ratio on
   * @param criticalDecrease likewise, downwards
   */
  @Schema(name = "EffectSize")
  public record EffectSizeDocument(
      @Nullable Double allowedIncrease,
      @Nullable Double allowedDecrease,
      @Nullable Double criticalIncrease,
      @Nullable Double criticalDecrease) {}

  /**
   * A notification channel: {@code type} says which, and which of the other fields it reads
   * (docs/notifications.md).
   *
   * @param type webhook (the default), slack, teams, googleChat, email, pagerduty or github
   * @param on the events it is told of; each type has its own default
   * @param url webhook: where to POST; slack, teams, googleChat: the incoming webhook's URL;
   *     pagerduty: the Events API (https://events.pagerduty.com/v2/enqueue by default)
   * @param format webhook: json (Aviary's event document) or cloudevents (a CloudEvent carrying
   *     it); slack in older plans stands for {"type": "slack"}
   * @param signingSecret webhook: the body is then signed with HMAC-SHA256
   * @param webhook slack, teams, googleChat: the incoming webhook's URL as a secret reference
   *     (instead of url)
   * @param smtp email: the server
   * @param from email: the sender's address
   * @param to email: the recipients
   * @param routingKey pagerduty: the integration's routing key
   * @param severity pagerduty: critical, error (the default), warning or info
   * @param repository github: owner/name
   * @param commit github: the commit's SHA; ${commit} (the default) reads the rollout's
   *     metadata.commit
   * @param token github: a token allowed to write commit statuses
   * @param context github: the status's name; aviary/&lt;plan&gt; by default
   * @param apiUrl github: https://api.github.com by default
   */
  @Schema(name = "Notification")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record NotificationDocument(
      @Schema(
              allowableValues = {
                "webhook",
                "slack",
                "teams",
                "googleChat",
                "email",
                "pagerduty",
                "github"
              })
          @Nullable String type,
      @ArraySchema(
              schema =
                  @Schema(
                      allowableValues = {
                        "started",
                        "stepCompleted",
                        "analysisFailed",
                        "paused",
                        "resumed",
                        "approvalNeeded",
                        "approved",
                        "held",
                        "promoted",
                        "rollingBack",
                        "rolledBack",
                        "aborted",
                        "failed"
                      }))
          @Nullable List<String> on,
      @Nullable String url,
      @Schema(allowableValues = {"json", "cloudevents", "slack"}) @Nullable String format,
      @Nullable SecretDocument signingSecret,
      @Nullable SecretDocument webhook,
      @Nullable SmtpDocument smtp,
      @Nullable String from,
      @Nullable List<String> to,
      @Nullable SecretDocument routingKey,
      @Schema(allowableValues = {"critical", "error", "warning", "info"}) @Nullable String severity,
      @Schema(example = "acme/payments") @Nullable String repository,
      @Schema(example = "${commit}") @Nullable String commit,
      @Nullable SecretDocument token,
      @Nullable String context,
      @Nullable String apiUrl) {}

  /**
   * An SMTP server.
   *
   * @param host its name
   * @param port 587 for starttls (the default), 465 for tls, 25 for none
   * @param security starttls (the default), tls or none
   * @param username the login, if it asks for one
   * @param password the login's password
   */
  @Schema(name = "Smtp")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SmtpDocument(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String host,
      @Nullable Integer port,
      @Schema(allowableValues = {"starttls", "tls", "none"}) @Nullable String security,
      @Nullable String username,
      @Nullable SecretDocument password) {}

  /**
   * A secret reference: exactly one field. {@code {"plaintext": "..."}} is accepted on writes and
   * stored sealed as {@code encrypted}.
   *
   * @param env an environment variable of the controller
   * @param file a file the controller can read
   * @param encrypted a value sealed with the controller's key
   */
  @Schema(name = "SecretReference")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record SecretDocument(
      @Nullable String env, @Nullable String file, @Nullable String encrypted) {}
}
