package dev.aviary.controller.rollout;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Spring Data's implementation fragment of {@link RolloutSearch} for {@link RolloutRepository}. */
class RolloutSearchImpl implements RolloutSearch {

  private final EntityManager em;

  RolloutSearchImpl(EntityManager em) {
    this.em = em;
  }

  private record Where(String sql, Map<String, Object> params) {}

  private static Where where(
      RolloutFilter filter, Optional<? extends Collection<String>> visiblePlans) {
    List<String> clauses = new ArrayList<>();
    Map<String, Object> params = new LinkedHashMap<>();
    if (filter.plan() != null) {
      clauses.add("plan_name = :plan");
      params.put("plan", filter.plan());
    }
    if (filter.phase() != null) {
      clauses.add("phase = :phase");
      params.put("phase", filter.phase().name());
    }
    if (filter.version() != null) {
      clauses.add("canary ->> 'version' = :version");
      params.put("version", filter.version());
    }
    if (!filter.labels().isEmpty()) {
      StringBuilder json = new StringBuilder("{");
      filter.labels().entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(
              e ->
                  json.append(json.length() > 1 ? "," : "")
                      .append(quote(e.getKey()))
                      .append(':')
                      .append(quote(e.getValue())));
      clauses.add("plan_name IN (SELECT name FROM plan WHERE labels @> CAST(:labels AS jsonb))");
      params.put("labels", json.append('}').toString());
    }
    if (visiblePlans.isPresent()) {
      clauses.add("plan_name = ANY(CAST(:visible AS text[]))");
      params.put("visible", visiblePlans.get().toArray(new String[0]));
    }
    return new Where(clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses), params);
  }

  @Override
  @SuppressWarnings("unchecked") // a native query with a result class answers that class
  public List<Rollout> search(
      RolloutFilter filter,
      Optional<? extends Collection<String>> visiblePlans,
      int limit,
      long offset) {
    Where w = where(filter, visiblePlans);
    Query q =
        em.createNativeQuery(
            "SELECT * FROM rollout"
                + w.sql()
                + " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset",
            Rollout.class);
    w.params().forEach(q::setParameter);
    q.setParameter("limit", limit);
    q.setParameter("offset", offset);
    return q.getResultList();
  }

  @Override
  public long countMatching(
      RolloutFilter filter, Optional<? extends Collection<String>> visiblePlans) {
    Where w = where(filter, visiblePlans);
    Query q = em.createNativeQuery("SELECT count(*) FROM rollout" + w.sql());
    w.params().forEach(q::setParameter);
    return ((Number) q.getSingleResult()).longValue();
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
