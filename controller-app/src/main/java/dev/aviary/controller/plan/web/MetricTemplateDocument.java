package dev.aviary.controller.plan.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.aviary.controller.plan.PlanDocument;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A metric template of one's own: one metric's queries in one shape (counts, histogram or query),
 * optionally its provider, and named parameters that plans fill in ({@code ${service}}); every
 * other variable ({@code ${version}}, {@code ${window}}) is the rollout's.
 *
 * @param name a DNS label; never a router's ready-made metric (http-error-rate)
 * @param description for people
 * @param parameters the values plans give, each written {@code ${name}} in the queries
 * @param provider the provider and its settings; credentials by reference only ({"env": ...} or
 *     {"file": ...}); absent when each plan names its own
 * @param counts a count metric's templates
 * @param histogram a latency histogram's template
 * @param query a series' templates
 */
@Schema(name = "MetricTemplate")
@JsonInclude(JsonInclude.Include.NON_NULL)
record MetricTemplateDocument(
    @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "checkout-errors") String name,
    @Nullable String description,
    @Nullable List<ParameterDocument> parameters,
    @Schema(example = "{\"type\": \"prometheus\", \"address\": \"http://prometheus:9090\"}")
        @Nullable Map<String, Object> provider,
    PlanDocument.@Nullable CountsDocument counts,
    @Nullable String histogram,
    PlanDocument.@Nullable QueryDocument query) {

  /**
   * One parameter of a template.
   *
   * @param name written {@code ${name}} in the queries; not a rollout's own variable (version,
   *     window...)
   * @param defaultValue used when a plan gives none; absent when every plan must give it
   * @param description for people
   */
  @Schema(name = "MetricTemplateParameter")
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ParameterDocument(
      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "service") String name,
      @com.fasterxml.jackson.annotation.JsonProperty("default") @Nullable String defaultValue,
      @Nullable String description) {}
}
