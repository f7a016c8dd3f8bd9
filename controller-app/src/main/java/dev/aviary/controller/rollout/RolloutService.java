package dev.aviary.controller.rollout;

import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.QueryTemplate;
import dev.aviary.controller.analysis.AnalysisOutcome;
import dev.aviary.controller.analysis.AnalysisRunner;
import dev.aviary.controller.analysis.QueryVariables;
import dev.aviary.controller.plan.AnalysisSpec;
import dev.aviary.controller.plan.MetricDefinition;
import dev.aviary.controller.plan.PlanService;
import dev.aviary.controller.plan.PlanSpec;
import dev.aviary.controller.plan.PlanView;
import dev.aviary.controller.plan.Step;
import dev.aviary.controller.plan.StepHandlers;
import dev.aviary.controller.platform.Actors;
import dev.aviary.controller.platform.AuditTrail;
import dev.aviary.controller.platform.ConflictException;
import dev.aviary.controller.platform.ForbiddenException;
import dev.aviary.controller.platform.InvalidRequestException;
import dev.aviary.controller.platform.NotFoundException;
import dev.aviary.kernel.SettingViolation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rollout feature's public face: start rollouts (idempotently, one active per plan), read them
 * with their events and analyses, and carry out the actions of people and pipelines. Router calls
 * never happen here; an action records the new intent and makes the rollout due at once.
 */
@Service
public class RolloutService {

  /** What people and pipelines can ask of a rollout. */
  public enum Action {
    PAUSE,
    RESUME,
    PROMOTE,
    PROMOTE_FULL,
    ABORT,
    RETRY
  }

  /**
   * A started (or found again) rollout.
   *
   * @param rollout the rollout as it stands
   * @param created false when an earlier request with the same idempotency key started it
   */
  public record Started(RolloutView rollout, boolean created) {}

  private final RolloutRepository rollouts;
  private final RolloutJournal store;
  private final PlanSnapshots snapshots;
  private final PlanService plans;
  private final JsonMapper json;
  private final JdbcClient jdbc;
  private final Clock clock;
  private final Actors actors;
  private final TransactionTemplate tx;
  private final ReleaseSlots slots;

  /** For reads: Hibernate neither snapshots nor dirty-checks what it loads (JSON columns too). */
  private final TransactionTemplate readOnly;

  private final AnalysisRunner analyses;
  private final AuditTrail audit;

  RolloutService(
      RolloutRepository rollouts,
      RolloutJournal store,
      PlanSnapshots snapshots,
      PlanService plans,
      JsonMapper json,
      JdbcClient jdbc,
      Clock clock,
      Actors actors,
      PlatformTransactionManager transactions,
      AnalysisRunner analyses,
      ReleaseSlots slots,
      AuditTrail audit) {
    this.analyses = analyses;
    this.audit = audit;
    this.slots = slots;
    this.rollouts = rollouts;
    this.store = store;
    this.snapshots = snapshots;
    this.plans = plans;
    this.json = json;
    this.jdbc = jdbc;
    this.clock = clock;
    this.actors = actors;
    this.tx = new TransactionTemplate(transactions);
    this.readOnly = new TransactionTemplate(transactions);
    this.readOnly.setReadOnly(true);
  }

  /**
   * Starts a rollout of a plan. The same {@code idempotencyKey} with the same request returns the
   * rollout it started; with a different request it is a conflict. A plan with an active rollout
   * gets a conflict naming it.
   */
  public Started start(StartRequest request, String idempotencyKey) {
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
      throw InvalidRequestException.of("Idempotency-Key", "must be 1 to 200 characters");
    }
    String fingerprint = fingerprint(request);
    try {
      return tx.execute(status -> startIn(request, idempotencyKey, fingerprint));
    } catch (DataIntegrityViolationException raced) {
      // Another request with the same key, or another rollout of the same plan, won the race.
      return tx.execute(
          status ->
              existing(idempotencyKey, fingerprint)
                  .orElseThrow(() -> activeConflict(request.plan())));
    }
  }

  private Started startIn(StartRequest request, String idempotencyKey, String fingerprint) {
    Optional<Started> again = existing(idempotencyKey, fingerprint);
    if (again.isPresent()) {
      return again.get();
    }
    PlanView plan =
        plans
            .lookup(request.plan())
            .orElseThrow(
                () -> InvalidRequestException.of("plan", "no plan named '" + request.plan() + "'"));
    if (plan.spec() == null) {
      throw new ConflictException(
          "plan '" + request.plan() + "' no longer validates; fix it before starting a rollout");
    }
    checkVariables(plan.spec(), request);
    if (rollouts.findActive(request.plan()).isPresent()) {
      throw activeConflict(request.plan());
    }
    Slot slot = slots.next(request.plan(), plan.spec());
    Optional<String> refusal = slots.startRefusal(request.plan(), plan.spec(), slot);
    if (refusal.isPresent()) {
      throw new ConflictException(
          "rollout of plan '" + request.plan() + "' not started: " + refusal.get());
    }
    Instant now = clock.instant();
    Rollout r =
        Rollout.create(
            UUID.randomUUID(),
            request.plan(),
            plan.revision(),
            plans.canonicalJson(plan.spec()),
            new Release(
                request.canary(),
                request.baseline(),
                request.metadata(),
                idempotencyKey,
                fingerprint,
                actors.current()),
            slot,
            now);
    store.save(r, plan.spec());
    return new Started(RolloutView.of(r, plan.spec()), true);
  }

  private Optional<Started> existing(@Nullable String key, String fingerprint) {
    if (key == null) {
      return Optional.empty();
    }
    return rollouts
        .findByIdempotencyKey(key)
        .map(
            r -> {
              if (!fingerprint.equals(r.requestFingerprint())) {
                throw new ConflictException(
                    "Idempotency-Key '"
                        + key
                        + "' was used for a different request (rollout "
                        + r.id()
                        + ")",
                    Map.of("rollout", r.id().toString()));
              }
              return new Started(RolloutView.of(r, snapshots.of(r)), false);
            });
  }

  private ConflictException activeConflict(String plan) {
    Optional<Rollout> active = rollouts.findActive(plan);
    String id = active.map(r -> r.id().toString()).orElse("unknown");
    return new ConflictException(
        "plan '"
            + plan
            + "' already has an active rollout: "
            + id
            + (active.isPresent() ? " (" + active.get().phase() + ")" : ""),
        Map.of("activeRollout", id));
  }

  /** Every variable the plan's queries use must be defined for the scope they are rendered in. */
  private void checkVariables(PlanSpec plan, StartRequest request) {
    if (!plan.hasAnalysis()) {
      return;
    }
    QueryVariables scopes =
        QueryVariables.of(
            request.plan(), "(assigned at start)", request.canary(), request.baseline(), plan);
    List<SettingViolation> violations = new ArrayList<>();
    Set<String> missingCanary = new TreeSet<>();
    Set<String> missingBaseline = new TreeSet<>();
    AnalysisSpec analysis = Objects.requireNonNull(plan.analysis(), "hasAnalysis");
    for (MetricDefinition m : analysis.metrics()) {
      for (String template : m.canaryTemplates()) {
        missing(template, scopes.canary(), missingCanary);
      }
      for (String template : m.baselineTemplates()) {
        missing(template, scopes.baseline(), missingBaseline);
      }
    }
    if (!missingCanary.isEmpty()) {
      violations.add(
          new SettingViolation(
              "canary",
              "the plan's canary queries use "
                  + missingCanary
                  + ", which this rollout does not define"));
    }
    if (!missingBaseline.isEmpty()) {
      violations.add(
          new SettingViolation(
              "baseline",
              "the plan's baseline queries use "
                  + missingBaseline
                  + ", which this rollout does not define"));
    }
    if (violations.isEmpty()) {
      // every value is escaped where it lands; where no escaping makes it data, refuse it now
      for (MetricDefinition m : analysis.metrics()) {
        analyses
            .renderRefusal(m, true, scopes.canary())
            .ifPresent(why -> violations.add(new SettingViolation("canary", why)));
        analyses
            .renderRefusal(m, false, scopes.baseline())
            .ifPresent(why -> violations.add(new SettingViolation("baseline", why)));
      }
    }
    if (!violations.isEmpty()) {
      throw new InvalidRequestException(violations);
    }
  }

  private static void missing(String template, Map<String, String> scope, Set<String> into) {
    for (String v : QueryTemplate.variablesOf(template)) {
      if (!scope.containsKey(v) && !MetricQuery.RANGE_VARIABLES.contains(v)) {
        into.add("${" + v + "}");
      } else if (scope.containsKey(v)
          && scope.get(v).isEmpty()
          && (v.equals("baseline") || v.equals("canary"))) {
        into.add("${" + v + "} (empty: give " + v + ".version)");
      }
    }
  }

  /**
   * Where the plan's next release goes.
   *
   * @param plan the plan
   * @param slot the server group the next release goes to: {@code canary} or {@code stable}
   * @param live the group the last promoted release runs on; null before the first promotion
   */
  public record NextSlot(String plan, String slot, @Nullable String live) {}

  /** Where {@code plan}'s next release goes: deploy the new version there, then start it. */
  public NextSlot nextSlot(String plan) {
    return readOnly.execute(
        status -> {
          PlanView view =
              plans.lookup(plan).orElseThrow(() -> new NotFoundException("no plan named " + plan));
          if (view.spec() == null) {
            throw new ConflictException(
                "plan '" + plan + "' no longer validates; fix it before releasing");
          }
          Slot next = slots.next(plan, view.spec());
          @Nullable String live = slots.live(plan).map(Slot::key).orElse(null);
          return new NextSlot(plan, next.key(), live);
        });
  }

  public RolloutView get(UUID id) {
    return readOnly.execute(
        status -> {
          Rollout r = rollouts.findById(id).orElseThrow(() -> notFound(id));
          return RolloutView.of(r, snapshots.of(r));
        });
  }

  /** The name of the plan a rollout runs. */
  public Optional<String> planOf(UUID id) {
    return jdbc.sql("SELECT plan_name FROM rollout WHERE id = :id")
        .param("id", id)
        .query(String.class)
        .optional();
  }

  /** The phase of a rollout, for waiters. */
  public Optional<Phase> phase(UUID id) {
    return jdbc.sql("SELECT phase FROM rollout WHERE id = :id")
        .param("id", id)
        .query(String.class)
        .optional()
        .map(Phase::valueOf);
  }

  /** One page of rollouts, newest first. */
  public RolloutPage list(
      RolloutFilter filter, Optional<? extends Collection<String>> plans, int page, int size) {
    return readOnly.execute(
        status -> {
          List<RolloutView> items =
              rollouts.search(filter, plans, size, (long) page * size).stream()
                  .map(r -> RolloutView.of(r, snapshots.of(r)))
                  .toList();
          return new RolloutPage(items, rollouts.countMatching(filter, plans));
        });
  }

  /** Carries out an action; answers the rollout as it now stands. */
  public RolloutView act(UUID id, Action action) {
    return tx.execute(
        status -> {
          Rollout r = rollouts.lockById(id).orElseThrow(() -> notFound(id));
          PlanSpec plan = snapshots.of(r);
          Instant now = clock.instant();
          String actor = actors.current();
          try {
            switch (action) {
              case PAUSE -> r.pause(actor, now);
              case RESUME -> r.resume(actor, resumeCompletesStep(r, plan), now);
              case PROMOTE -> {
                skipApprovals(r, plan, r.stepIndex() + 1, actor);
                r.promote(false, plan.steps().size(), actor, now);
              }
              case PROMOTE_FULL -> {
                skipApprovals(r, plan, plan.steps().size(), actor);
                r.promote(true, plan.steps().size(), actor, now);
              }
              case ABORT -> r.abort(actor, now);
              case RETRY -> {
                Optional<Rollout> active = rollouts.findActive(r.planName());
                if (active.isPresent()) {
                  throw new ConflictException(
                      "plan '"
                          + r.planName()
                          + "' already has an active rollout: "
                          + active.get().id(),
                      Map.of("activeRollout", active.get().id().toString()));
                }
                r.retry(actor, now);
              }
            }
          } catch (IllegalTransitionException e) {
            throw new ConflictException(
                String.valueOf(e.getMessage()), Map.of("phase", e.phase().name()));
          }
          store.save(r, plan);
          return RolloutView.of(r, plan);
        });
  }

  /**
   * Promoting past an approval step answers it: only a caller allowed to approve each approval step
   * from the current one up to {@code end} (exclusive) may do so, and each is audited as approved.
   */
  private void skipApprovals(Rollout r, PlanSpec plan, int end, String actor) {
    if (r.phase() != Phase.PROGRESSING && r.phase() != Phase.PAUSED) {
      return; // the transition refuses it with the phase's reason
    }
    Set<String> roles = actors.currentRoles();
    List<Integer> skipped = new ArrayList<>();
    for (int i = r.stepIndex(); i < Math.min(end, plan.steps().size()); i++) {
      if (plan.steps().get(i) instanceof Step.Approval a) {
        Optional<String> refusal = Approvals.refusal(a, actor, roles, r.createdBy());
        if (refusal.isPresent()) {
          throw new ForbiddenException(
              "promoting skips step "
                  + (i + 1)
                  + " ("
                  + StepHandlers.describe(a)
                  + "), which only "
                  + StepHandlers.whoMayAnswer(a)
                  + " may approve: "
                  + refusal.get());
        }
        skipped.add(i + 1);
      }
    }
    for (int number : skipped) {
      audit.record(
          actor,
          "rollout.approved",
          "rollout:" + r.id(),
          Map.of("plan", r.planName(), "step", number, "by", "promotion"));
    }
  }

  /**
   * Answers the approval step the rollout waits in: approve (it goes on; a paused one resumes) or
   * reject (it rolls back). Only a caller the step allows may answer; who, when and why are a
   * rollout event and an audit entry.
   *
   * @param reason why; required to reject
   */
  public RolloutView answer(UUID id, boolean approve, @Nullable String reason) {
    return tx.execute(
        status -> {
          Rollout r = rollouts.lockById(id).orElseThrow(() -> notFound(id));
          PlanSpec plan = snapshots.of(r);
          Instant now = clock.instant();
          String actor = actors.current();
          String verb = approve ? "approve" : "reject";
          if ((r.phase() != Phase.PROGRESSING && r.phase() != Phase.PAUSED)
              || !r.stepEntered()
              || r.stepIndex() >= plan.steps().size()
              || !(plan.steps().get(r.stepIndex()) instanceof Step.Approval step)) {
            throw new ConflictException(
                "cannot "
                    + verb
                    + " rollout "
                    + id
                    + ": it is not waiting for an approval ("
                    + r.phase()
                    + (r.stepIndex() < plan.steps().size()
                        ? ", step "
                            + (r.stepIndex() + 1)
                            + ": "
                            + StepHandlers.describe(plan.steps().get(r.stepIndex()))
                        : "")
                    + ")",
                Map.of("phase", r.phase().name()));
          }
          Optional<String> refusal =
              Approvals.refusal(step, actor, actors.currentRoles(), r.createdBy());
          if (refusal.isPresent()) {
            throw new ForbiddenException(
                "cannot " + verb + " step " + (r.stepIndex() + 1) + ": " + refusal.get());
          }
          int number = r.stepIndex() + 1;
          if (approve) {
            r.approve(actor, reason, now);
          } else {
            r.reject(actor, Objects.requireNonNull(reason, "a rejection says why"), now);
          }
          Map<String, Object> detail = new LinkedHashMap<>();
          detail.put("plan", r.planName());
          detail.put("step", number);
          if (reason != null) {
            detail.put("reason", reason);
          }
          audit.record(
              actor, approve ? "rollout.approved" : "rollout.rejected", "rollout:" + id, detail);
          store.save(r, plan);
          return RolloutView.of(r, plan);
        });
  }

  private static boolean resumeCompletesStep(Rollout r, PlanSpec plan) {
    return r.stepIndex() < plan.steps().size()
        && StepHandlers.completedByResume(plan.steps().get(r.stepIndex()));
  }

  /**
   * An event of any rollout, as the dashboard's live list hears of it.
   *
   * @param id the event's id
   * @param rollout the rollout it belongs to
   * @param plan that rollout's plan
   * @param type what happened
   */
  public record Change(long id, UUID rollout, String plan, EventType type) {}

  /** Events of every rollout with an id above {@code afterId}, in id order. */
  public List<Change> changes(long afterId, int limit) {
    return jdbc.sql(
            "SELECT e.id, e.rollout_id, r.plan_name, e.type FROM rollout_event e"
                + " JOIN rollout r ON r.id = e.rollout_id WHERE e.id > :after ORDER BY e.id"
                + " LIMIT :limit")
        .param("after", afterId)
        .param("limit", limit)
        .query(
            (rs, n) ->
                new Change(
                    rs.getLong("id"),
                    rs.getObject("rollout_id", UUID.class),
                    rs.getString("plan_name"),
                    EventType.valueOf(rs.getString("type"))))
        .list();
  }

  /** The highest event id stored, 0 when there is none. */
  public long lastEventId() {
    return jdbc.sql("SELECT COALESCE(MAX(id), 0) FROM rollout_event").query(Long.class).single();
  }

  /** Events after {@code afterId}, oldest first. */
  public List<RolloutEventView> events(UUID id, long afterId, int limit) {
    requireExists(id);
    return jdbc.sql(
            "SELECT id, at, type, from_phase, to_phase, from_weight, to_weight, step_index, actor, reason"
                + " FROM rollout_event WHERE rollout_id = :id AND id > :after ORDER BY id LIMIT :limit")
        .param("id", id)
        .param("after", afterId)
        .param("limit", limit)
        .query(
            (rs, n) ->
                new RolloutEventView(
                    rs.getLong("id"),
                    rs.getTimestamp("at").toInstant(),
                    EventType.valueOf(rs.getString("type")),
                    phaseOrNull(rs.getString("from_phase")),
                    phaseOrNull(rs.getString("to_phase")),
                    (Integer) rs.getObject("from_weight"),
                    (Integer) rs.getObject("to_weight"),
                    (Integer) rs.getObject("step_index"),
                    rs.getString("actor"),
                    rs.getString("reason")))
        .list();
  }

  private static @Nullable Phase phaseOrNull(@Nullable String name) {
    return name == null ? null : Phase.valueOf(name);
  }

  /** Stored analyses, oldest first. */
  public List<AnalysisView> analyses(UUID id, long afterId, int limit) {
    requireExists(id);
    return jdbc.sql(
            "SELECT id, at, step_index, weight, window_start, window_end, outcome, result::text AS result"
                + " FROM rollout_analysis WHERE rollout_id = :id AND id > :after ORDER BY id LIMIT :limit")
        .param("id", id)
        .param("after", afterId)
        .param("limit", limit)
        .query(
            (rs, n) ->
                new AnalysisView(
                    rs.getLong("id"),
                    rs.getTimestamp("at").toInstant(),
                    rs.getInt("step_index"),
                    rs.getInt("weight"),
                    rs.getTimestamp("window_start").toInstant(),
                    rs.getTimestamp("window_end").toInstant(),
                    AnalysisOutcome.valueOf(rs.getString("outcome")),
                    json.readValue(rs.getString("result"), AnalysisView.Result.class)))
        .list();
  }

  private void requireExists(UUID id) {
    if (phase(id).isEmpty()) {
      throw notFound(id);
    }
  }

  private static NotFoundException notFound(UUID id) {
    return new NotFoundException("no rollout " + id);
  }

  private String fingerprint(StartRequest request) {
    Map<String, Object> canonical = new LinkedHashMap<>();
    canonical.put("plan", request.plan());
    canonical.put("canary", new java.util.TreeMap<>(request.canary()));
    canonical.put("baseline", new java.util.TreeMap<>(request.baseline()));
    canonical.put("metadata", new java.util.TreeMap<>(request.metadata()));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(json.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** For the plan deletion guard. */
  Optional<UUID> activeRollout(String plan) {
    return rollouts.findActive(plan).map(Rollout::id);
  }
}
