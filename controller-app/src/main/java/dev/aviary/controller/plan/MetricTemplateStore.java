package dev.aviary.controller.plan;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stored metric templates, for the plan reader: the latest revision read from the database each
 * time (a plan written now uses it), older revisions remembered once read (they never change).
 */
@Component
class MetricTemplateStore implements StoredTemplates {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final int MAX_CACHED = 1024;

  private final MetricTemplateRepository templates;
  private final MetricTemplateRevisionRepository revisions;
  private final JsonMapper json;
  private final Map<String, Revision> kept =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Revision> eldest) {
          return size() > MAX_CACHED;
        }
      };

  MetricTemplateStore(
      MetricTemplateRepository templates,
      MetricTemplateRevisionRepository revisions,
      JsonMapper json) {
    this.templates = templates;
    this.revisions = revisions;
    this.json = json;
  }

  @Override
  public Optional<Revision> latest(String name) {
    return templates
        .findByName(name)
        .map(t -> new Revision(t.revision(), MetricTemplateSpec.fromCanonical(parse(t.spec()))));
  }

  @Override
  public Optional<Revision> revision(String name, int revision) {
    String key = name + "@" + revision;
    synchronized (kept) {
      Revision cached = kept.get(key);
      if (cached != null) {
        return Optional.of(cached);
      }
    }
    Optional<Revision> found =
        revisions
            .findByTemplateNameAndRevision(name, revision)
            .filter(r -> r.spec() != null)
            .map(
                r ->
                    new Revision(
                        revision,
                        MetricTemplateSpec.fromCanonical(
                            parse(java.util.Objects.requireNonNull(r.spec())))));
    found.ifPresent(
        r -> {
          synchronized (kept) {
            kept.put(key, r);
          }
        });
    return found;
  }

  private Map<String, Object> parse(String stored) {
    return json.readValue(stored, MAP);
  }
}
