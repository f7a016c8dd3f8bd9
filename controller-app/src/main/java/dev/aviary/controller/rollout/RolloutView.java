package dev.aviary.controller.rollout;

import dev.aviary.controller.plan.PlanSpec;
import dev.aviary.controller.plan.Step;
import dev.aviary.controller.plan.StepHandlers;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON form of a rollout, as the API and the CLI read it. */
final class RolloutView {

  private RolloutView() {}

  static Map<String, Object> render(Rollout r, PlanSpec plan) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", r.id().toString());
    body.put("plan", r.planName());
    body.put("planRevision", r.planRevision());
    body.put("phase", r.phase().name());
    body.put("reason", r.reason());
    int total = plan.steps().size();
    Map<String, Object> step = new LinkedHashMap<>();
    step.put("index", r.stepIndex());
    step.put("total", total);
    if (r.stepIndex() < total) {
      Step s = plan.steps().get(r.stepIndex());
      step.put("number", r.stepIndex() + 1);
      step.put("kind", s.kind());
      step.put("description", StepHandlers.describe(s));
      step.put("entered", r.stepEntered());
    } else {
      step.put("kind", "promotion");
      step.put("description", "all steps done: promotion");
    }
    put(step, "startedAt", r.stepStartedAt());
    step.put("passingAnalyses", r.stepSuccesses());
    body.put("step", step);
    body.put("canaryWeight", r.canaryWeight());
    body.put("desiredWeight", r.desiredWeight());
    body.put("weightVerified", r.weightVerified());
    put(body, "pausedUntil", r.pauseUntil());
    Map<String, Object> analysis = new LinkedHashMap<>();
    analysis.put("lastVerdict", r.lastVerdict());
    analysis.put("lastScore", r.lastScore());
    analysis.put("failures", r.failures());
    analysis.put("inconclusive", r.inconclusives());
    analysis.put("consecutiveErrors", r.consecutiveErrors());
    body.put("analysis", analysis);
    body.put("routerFailures", r.routerFailures());
    body.put("abortRequested", r.abortRequested());
    body.put("canary", r.canary());
    body.put("baseline", r.baseline());
    body.put("metadata", r.metadata());
    body.put("createdBy", r.createdBy());
    put(body, "createdAt", r.createdAt());
    put(body, "updatedAt", r.updatedAt());
    put(body, "finishedAt", r.finishedAt());
    put(body, "nextTickAt", r.nextTickAt());
    return body;
  }

  private static void put(Map<String, Object> m, String key, java.time.Instant value) {
    if (value != null) {
      m.put(key, value.toString());
    }
  }
}
