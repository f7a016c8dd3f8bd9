package dev.aviary.controller.rollout;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Spring Data's implementation fragment of {@link RolloutSearch} for {@link RolloutRepository}. */
class RolloutSearchImpl implements RolloutSearch {

  private final EntityManager em;

  RolloutSearchImpl(EntityManager em) {
    this.em = em;
  }

  private record Where(String sql, Map<String, Object> params) {}

  private static Where where(
      @Nullable String plan,
      @Nullable Phase phase,
      Optional<? extends Collection<String>> visiblePlans) {
    List<String> clauses = new ArrayList<>();
    Map<String, Object> params = new LinkedHashMap<>();
    if (plan != null) {
      clauses.add("plan_name = :plan");
      params.put("plan", plan);
    }
    if (phase != null) {
      clauses.add("phase = :phase");
      params.put("phase", phase.name());
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
      @Nullable String plan,
      @Nullable Phase phase,
      Optional<? extends Collection<String>> visiblePlans,
      int limit,
      long offset) {
    Where w = where(plan, phase, visiblePlans);
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
      @Nullable String plan,
      @Nullable Phase phase,
      Optional<? extends Collection<String>> visiblePlans) {
    Where w = where(plan, phase, visiblePlans);
    Query q = em.createNativeQuery("SELECT count(*) FROM rollout" + w.sql());
    w.params().forEach(q::setParameter);
    return ((Number) q.getSingleResult()).longValue();
  }
}
