package dev.aviary.controller.plan;

import dev.aviary.analysis.judge.Judges;
import dev.aviary.analysis.metrics.MetricProviders;
import dev.aviary.controller.platform.Actors;
import dev.aviary.controller.platform.ConflictException;
import dev.aviary.controller.platform.InvalidRequestException;
import dev.aviary.controller.platform.NotFoundException;
import dev.aviary.controller.platform.StaleRevisionException;
import dev.aviary.controller.routing.TrafficRouters;
import dev.aviary.kernel.Parsed;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The plan feature's public face: create, read, list, replace and delete plans, each change kept as
 * a revision. Writes are all-or-nothing: an invalid document changes nothing.
 */
@Service
public class PlanService {

  /** Fields the API adds to a plan document; accepted back and ignored on writes. */
  static final Set<String> READ_ONLY_FIELDS = Set.of("revision", "createdAt", "updatedAt");

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final PlanRepository plans;
  private final PlanRevisionRepository revisions;
  private final PlanReader reader;
  private final JsonMapper json;
  private final Clock clock;
  private final Actors actors;
  private final List<PlanDeletionGuard> guards;

  PlanService(
      PlanRepository plans,
      PlanRevisionRepository revisions,
      TrafficRouters routers,
      MetricProviders providers,
      Judges judges,
      JsonMapper json,
      Clock clock,
      Actors actors,
      List<PlanDeletionGuard> guards,
      MetricTemplateStore templates) {
    this.plans = plans;
    this.revisions = revisions;
    this.reader = new PlanReader(routers, providers, judges, templates);
    this.json = json;
    this.clock = clock;
    this.actors = actors;
    this.guards = List.copyOf(guards);
  }

  @Transactional
  public PlanView create(Map<String, ?> document) {
    PlanSpec spec = validate(document);
    if (plans.findByName(spec.name()).isPresent()) {
      throw new ConflictException(
          "a plan named '"
              + spec.name()
              + "' exists already; PUT /api/v1/plans/"
              + spec.name()
              + " replaces it");
    }
    int revision = revisions.lastRevision(spec.name()) + 1;
    String canonical = canonical(spec);
    Plan plan = Plan.create(spec.name(), revision, canonical, labels(spec), clock.instant());
    try {
      plans.saveAndFlush(plan);
    } catch (DataIntegrityViolationException e) {
      throw new ConflictException(
          "a plan named '" + spec.name() + "' was created at the same moment");
    }
    record(plan, PlanRevision.Change.CREATED, canonical);
    return view(plan);
  }

  @Transactional(readOnly = true)
  public PlanView get(String name) {
    return view(find(name));
  }

  /** The plan if it exists, for other features (a rollout starting, say). */
  @Transactional(readOnly = true)
  public Optional<PlanView> lookup(String name) {
    return plans.findByName(name).map(this::view);
  }

  /** The labels of the plan named {@code name}, if it exists. */
  @Transactional(readOnly = true)
  public Optional<Map<String, String>> labelsOf(String name) {
    return lookup(name).map(PlanView::spec).map(PlanSpec::labels);
  }

  /** The names of every plan whose labels contain {@code labels}. */
  @Transactional(readOnly = true)
  public List<String> namesWithLabels(Map<String, String> labels) {
    return plans.namesWithLabels(json.writeValueAsString(labels));
  }

  /**
   * Reads a plan document as this service stored it (a rollout's snapshot, say).
   *
   * @throws IllegalStateException if it no longer validates (an adapter was removed)
   */
  public PlanSpec parseStored(String canonicalJson) {
    return reader.read(json.readValue(canonicalJson, MAP)).orThrow("stored plan");
  }

  /**
   * The canonical JSON of a plan as a rollout keeps it: each stored metric template pinned to the
   * revision the plan uses now, so the rollout reads the same queries to its end.
   */
  public String canonicalJson(PlanSpec spec) {
    return json.writeValueAsString(PlanWriter.writePinned(spec));
  }

  /** The reader of plan and metric template documents. */
  PlanReader reader() {
    return reader;
  }

  /** The plans with a metric made from the stored template {@code name}. */
  List<String> plansUsingTemplate(String name) {
    Map<String, Object> probe =
        Map.of("analysis", Map.of("metrics", List.of(Map.of("template", name))));
    return plans.namesContaining(json.writeValueAsString(probe));
  }

  /**
   * Why the stored plan {@code name} would no longer validate, in words; empty when it does (read
   * within the caller's transaction, so a template change not yet committed is seen).
   */
  Optional<String> objectionTo(String name) {
    Optional<Plan> plan = plans.findByName(name);
    if (plan.isEmpty()) {
      return Optional.empty();
    }
    Parsed<PlanSpec> parsed = reader.read(json.readValue(plan.get().spec(), MAP));
    if (parsed.valid()) {
      return Optional.empty();
    }
    return Optional.of(
        String.join(
            "; ", parsed.violations().stream().map(v -> v.field() + ": " + v.message()).toList()));
  }

  @Transactional(readOnly = true)
  public PlanPage list(String namePrefix, Map<String, String> labels, int page, int size) {
    String prefix = namePrefix == null ? "" : namePrefix;
    String labelsJson = json.writeValueAsString(labels);
    long total = plans.countMatching(prefix, labelsJson);
    List<PlanView> items =
        plans.search(prefix, labelsJson, size, (long) page * size).stream()
            .map(this::view)
            .toList();
    return new PlanPage(items, page, size, total);
  }

  /**
   * Replaces a plan. With {@code ifMatch} the write happens only if the plan is still at that
   * revision; a concurrent writer that got there first makes this one fail, never vanish. A
   * document that says what the plan already says changes nothing and makes no revision.
   */
  @Transactional
  public PlanView replace(String name, Map<String, ?> document, OptionalLong ifMatch) {
    Plan plan = find(name);
    checkRevision(plan, ifMatch);
    PlanSpec spec = validateFor(name, document);
    String canonical = canonical(spec);
    if (sameDocument(canonical, plan.spec())) {
      return view(plan); // nothing changed: no new revision, as `apply` of the same file twice
    }
    plan.replace(canonical, labels(spec), clock.instant());
    plans.saveAndFlush(plan);
    record(plan, PlanRevision.Change.UPDATED, canonical);
    return view(plan);
  }

  /**
   * The plan as {@link #replace} (or {@link #create}, for a plan that does not exist) would store
   * {@code document}: validated, defaults filled in, its revision the one it would get (the current
   * one when nothing would change). Nothing is written.
   */
  @Transactional(readOnly = true)
  public PlanView preview(String name, Map<String, ?> document) {
    PlanSpec spec = validateFor(name, document);
    String canonical = canonical(spec);
    Optional<Plan> existing = plans.findByName(name);
    if (existing.isPresent() && sameDocument(canonical, existing.get().spec())) {
      return view(existing.get());
    }
    int revision =
        existing.map(p -> p.revision() + 1).orElseGet(() -> revisions.lastRevision(name) + 1);
    return view(Plan.create(name, revision, canonical, labels(spec), clock.instant()));
  }

  @Transactional
  public void delete(String name, OptionalLong ifMatch) {
    Plan plan = find(name);
    checkRevision(plan, ifMatch);
    for (PlanDeletionGuard guard : guards) {
      guard
          .objection(name)
          .ifPresent(
              reason -> {
                throw new ConflictException("plan '" + name + "' cannot be deleted: " + reason);
              });
    }
    plans.delete(plan);
    plans.flush();
    revisions.save(
        new PlanRevision(
            name,
            plan.revision() + 1,
            PlanRevision.Change.DELETED,
            null,
            actors.current(),
            clock.instant()));
  }

  @Transactional(readOnly = true)
  public List<PlanRevisionView> revisions(String name) {
    List<PlanRevision> history = revisions.findByPlanNameOrderByRevisionDesc(name);
    if (history.isEmpty()) {
      throw new NotFoundException("no plan named '" + name + "' has ever existed");
    }
    return history.stream().map(this::revisionView).toList();
  }

  @Transactional(readOnly = true)
  public PlanRevisionView revision(String name, int revision) {
    return revisions
        .findByPlanNameAndRevision(name, revision)
        .map(this::revisionView)
        .orElseThrow(
            () -> new NotFoundException("plan '" + name + "' has no revision " + revision));
  }

  private PlanSpec validate(Map<String, ?> document) {
    Map<String, Object> writable = new LinkedHashMap<>(document);
    READ_ONLY_FIELDS.forEach(writable::remove);
    Parsed<PlanSpec> parsed = reader.read(writable);
    if (!parsed.valid()) {
      throw new InvalidRequestException(parsed.violations());
    }
    return parsed.get();
  }

  private Plan find(String name) {
    return plans
        .findByName(name)
        .orElseThrow(() -> new NotFoundException("no plan named '" + name + "'"));
  }

  private static void checkRevision(Plan plan, OptionalLong ifMatch) {
    if (ifMatch.isPresent() && ifMatch.getAsLong() != plan.revision()) {
      throw new StaleRevisionException(
          "plan '"
              + plan.name()
              + "' is at revision "
              + plan.revision()
              + ", not "
              + ifMatch.getAsLong()
              + "; read it again and reapply your change",
          plan.revision());
    }
  }

  private void record(Plan plan, PlanRevision.Change change, String canonical) {
    revisions.save(
        new PlanRevision(
            plan.name(), plan.revision(), change, canonical, actors.current(), clock.instant()));
  }

  private String canonical(PlanSpec spec) {
    return json.writeValueAsString(PlanWriter.write(spec));
  }

  private String labels(PlanSpec spec) {
    return json.writeValueAsString(spec.labels());
  }

  /** {@code document} as the plan named {@code name}: a name in it must be that one. */
  private PlanSpec validateFor(String name, Map<String, ?> document) {
    Object bodyName = document.get("name");
    if (bodyName != null && !name.equals(bodyName)) {
      throw InvalidRequestException.of(
          "name", "must match the plan in the path ('" + name + "'); a plan cannot be renamed");
    }
    Map<String, Object> withName = new LinkedHashMap<>(document);
    withName.put("name", name);
    return validate(withName);
  }

  /** Whether two plan documents say the same (the database keeps JSON in its own key order). */
  private boolean sameDocument(String a, String b) {
    return json.readTree(a).equals(json.readTree(b));
  }

  private PlanView view(Plan plan) {
    Map<String, Object> stored = json.readValue(plan.spec(), MAP);
    Parsed<PlanSpec> parsed = reader.read(stored);
    if (!parsed.valid()) {
      // Stored when valid, invalid now (an adapter was removed, say): show it as stored.
      return new PlanView(
          null, document(plan.spec()), plan.revision(), plan.createdAt(), plan.updatedAt());
    }
    return new PlanView(
        parsed.value(),
        PlanWriter.write(parsed.get()),
        plan.revision(),
        plan.createdAt(),
        plan.updatedAt());
  }

  /** A stored canonical document: written by {@link PlanWriter}, so of its shape. */
  private PlanDocument document(String storedJson) {
    return json.readerFor(PlanDocument.class)
        .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .readValue(storedJson);
  }

  private PlanRevisionView revisionView(PlanRevision r) {
    PlanDocument document = r.spec() == null ? null : document(r.spec());
    return new PlanRevisionView(
        r.revision(), r.change().name(), document, r.actor(), r.createdAt());
  }

  /**
   * One page of plans.
   *
   * @param items the plans on this page
   * @param page zero-based page number
   * @param size page size asked for
   * @param totalItems how many plans match in all
   */
  public record PlanPage(List<PlanView> items, int page, int size, long totalItems) {}
}
