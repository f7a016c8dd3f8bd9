package dev.aviary.controller.plan;

import dev.aviary.controller.platform.Actors;
import dev.aviary.controller.platform.ConflictException;
import dev.aviary.controller.platform.InvalidRequestException;
import dev.aviary.controller.platform.NotFoundException;
import dev.aviary.controller.platform.StaleRevisionException;
import dev.aviary.kernel.Parsed;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Metric templates of one's own, stored and versioned like plans. A change that would leave a plan
 * that uses the template invalid (a parameter it does not give, say) is refused naming the plan; a
 * template a plan uses cannot be deleted. A rollout keeps the revision it started with.
 */
@Service
public class MetricTemplateService {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final MetricTemplateRepository templates;
  private final MetricTemplateRevisionRepository revisions;
  private final PlanService plans;
  private final JsonMapper json;
  private final Clock clock;
  private final Actors actors;

  MetricTemplateService(
      MetricTemplateRepository templates,
      MetricTemplateRevisionRepository revisions,
      PlanService plans,
      JsonMapper json,
      Clock clock,
      Actors actors) {
    this.templates = templates;
    this.revisions = revisions;
    this.plans = plans;
    this.json = json;
    this.clock = clock;
    this.actors = actors;
  }

  /**
   * A stored template as the API shows it.
   *
   * @param document its canonical document
   * @param revision its revision (also its ETag)
   * @param createdAt when it was first stored
   * @param updatedAt when it last changed
   * @param usedBy the plans with a metric made from it
   */
  public record View(
      Map<String, Object> document,
      int revision,
      Instant createdAt,
      Instant updatedAt,
      List<String> usedBy) {}

  /**
   * One revision of a template.
   *
   * @param revision its number
   * @param change CREATED, UPDATED or DELETED
   * @param document what it said; null for a deletion
   * @param actor who changed it
   * @param at when
   */
  public record RevisionView(
      int revision,
      String change,
      @Nullable Map<String, Object> document,
      String actor,
      Instant at) {}

  @Transactional
  public View create(Map<String, ?> document) {
    MetricTemplateSpec spec = validate(document);
    if (templates.findByName(spec.name()).isPresent()) {
      throw new ConflictException(
          "a metric template named '"
              + spec.name()
              + "' exists already; PUT /api/v1/metric-templates/"
              + spec.name()
              + " replaces it");
    }
    int revision = revisions.lastRevision(spec.name()) + 1;
    String canonical = json.writeValueAsString(spec.document());
    MetricTemplate template =
        MetricTemplate.create(spec.name(), revision, canonical, clock.instant());
    try {
      templates.saveAndFlush(template);
    } catch (DataIntegrityViolationException e) {
      throw new ConflictException(
          "a metric template named '" + spec.name() + "' was created at the same moment");
    }
    record(template, PlanRevision.Change.CREATED, canonical);
    return view(template);
  }

  @Transactional(readOnly = true)
  public View get(String name) {
    return view(find(name));
  }

  @Transactional(readOnly = true)
  public List<View> list() {
    return templates.findAllByOrderByNameAsc().stream().map(this::view).toList();
  }

  /**
   * Replaces a template (with {@code ifMatch}, only if it is still at that revision). Every plan
   * that follows the template's latest revision is read again with the new one, in this
   * transaction; if any would no longer validate, nothing is written.
   */
  @Transactional
  public View replace(String name, Map<String, ?> document, OptionalLong ifMatch) {
    MetricTemplate template = find(name);
    checkRevision(template, ifMatch);
    Object bodyName = document.get("name");
    if (bodyName != null && !name.equals(bodyName)) {
      throw InvalidRequestException.of(
          "name",
          "must match the template in the path ('" + name + "'); a template cannot be renamed");
    }
    Map<String, Object> withName = new LinkedHashMap<>(document);
    withName.put("name", name);
    MetricTemplateSpec spec = validate(withName);
    String canonical = json.writeValueAsString(spec.document());
    if (json.readTree(canonical).equals(json.readTree(template.spec()))) {
      return view(template);
    }
    template.replace(canonical, clock.instant());
    templates.saveAndFlush(template);
    List<String> broken = new ArrayList<>();
    for (String plan : plans.plansUsingTemplate(name)) {
      plans.objectionTo(plan).ifPresent(why -> broken.add("plan '" + plan + "': " + why));
    }
    if (!broken.isEmpty()) {
      throw new ConflictException(
          "metric template '"
              + name
              + "' was not changed: the change would leave plans that use it invalid — "
              + String.join("; ", broken)
              + ". Change those plans first (or pin them to this revision with templateRevision "
              + (template.revision() - 1)
              + ")",
          Map.of("plans", broken));
    }
    record(template, PlanRevision.Change.UPDATED, canonical);
    return view(template);
  }

  @Transactional
  public void delete(String name, OptionalLong ifMatch) {
    MetricTemplate template = find(name);
    checkRevision(template, ifMatch);
    List<String> users = plans.plansUsingTemplate(name);
    if (!users.isEmpty()) {
      throw new ConflictException(
          "metric template '"
              + name
              + "' cannot be deleted: plans use it ("
              + String.join(", ", users)
              + "); change them first",
          Map.of("plans", users));
    }
    templates.delete(template);
    templates.flush();
    revisions.save(
        new MetricTemplateRevision(
            name,
            template.revision() + 1,
            PlanRevision.Change.DELETED,
            null,
            actors.current(),
            clock.instant()));
  }

  @Transactional(readOnly = true)
  public List<RevisionView> revisions(String name) {
    List<MetricTemplateRevision> history = revisions.findByTemplateNameOrderByRevisionDesc(name);
    if (history.isEmpty()) {
      throw new NotFoundException("no metric template named '" + name + "' has ever existed");
    }
    return history.stream().map(this::revisionView).toList();
  }

  @Transactional(readOnly = true)
  public RevisionView revision(String name, int revision) {
    return revisions
        .findByTemplateNameAndRevision(name, revision)
        .map(this::revisionView)
        .orElseThrow(
            () ->
                new NotFoundException(
                    "metric template '" + name + "' has no revision " + revision));
  }

  /** The template named {@code name}, if there is one. */
  @Transactional(readOnly = true)
  public Optional<View> lookup(String name) {
    return templates.findByName(name).map(this::view);
  }

  private MetricTemplateSpec validate(Map<String, ?> document) {
    Map<String, Object> writable = new LinkedHashMap<>(document);
    PlanService.READ_ONLY_FIELDS.forEach(writable::remove);
    writable.remove("usedBy");
    Parsed<MetricTemplateSpec> parsed = plans.reader().readTemplate(writable);
    if (!parsed.valid()) {
      throw new InvalidRequestException(parsed.violations());
    }
    return parsed.get();
  }

  private MetricTemplate find(String name) {
    return templates
        .findByName(name)
        .orElseThrow(() -> new NotFoundException("no metric template named '" + name + "'"));
  }

  private static void checkRevision(MetricTemplate template, OptionalLong ifMatch) {
    if (ifMatch.isPresent() && ifMatch.getAsLong() != template.revision()) {
      throw new StaleRevisionException(
          "metric template '"
              + template.name()
              + "' is at revision "
              + template.revision()
              + ", not "
              + ifMatch.getAsLong()
              + "; read it again and reapply your change",
          template.revision());
    }
  }

  private void record(MetricTemplate template, PlanRevision.Change change, String canonical) {
    revisions.save(
        new MetricTemplateRevision(
            template.name(),
            template.revision(),
            change,
            canonical,
            actors.current(),
            clock.instant()));
  }

  private View view(MetricTemplate template) {
    return new View(
        json.readValue(template.spec(), MAP),
        template.revision(),
        template.createdAt(),
        template.updatedAt(),
        plans.plansUsingTemplate(template.name()));
  }

  private RevisionView revisionView(MetricTemplateRevision r) {
    String spec = r.spec();
    return new RevisionView(
        r.revision(),
        r.change().name(),
        spec == null ? null : json.readValue(spec, MAP),
        r.actor(),
        r.createdAt());
  }
}
