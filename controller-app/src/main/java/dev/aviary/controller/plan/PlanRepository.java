package dev.aviary.controller.plan;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface PlanRepository extends JpaRepository<Plan, Long> {

  Optional<Plan> findByName(String name);

  /**
   * A page of plans whose name starts with {@code prefix} and whose labels contain {@code labels}.
   */
  @Query(
      value =
          "SELECT * FROM plan WHERE name LIKE :prefix || '%' AND labels @> CAST(:labels AS jsonb)"
              + " ORDER BY name LIMIT :limit OFFSET :offset",
      nativeQuery = true)
  List<Plan> search(
      @Param("prefix") String prefix,
      @Param("labels") String labelsJson,
      @Param("limit") int limit,
      @Param("offset") long offset);

  @Query(
      value =
          "SELECT count(*) FROM plan WHERE name LIKE :prefix || '%' AND labels @> CAST(:labels AS jsonb)",
      nativeQuery = true)
  long countMatching(@Param("prefix") String prefix, @Param("labels") String labelsJson);

  @Query(
      value = "SELECT name FROM plan WHERE labels @> CAST(:labels AS jsonb) ORDER BY name",
      nativeQuery = true)
  List<String> namesWithLabels(@Param("labels") String labelsJson);

  /** The names of the plans with a metric whose {@code template} is {@code probe}'s. */
  @Query(
      value = "SELECT name FROM plan WHERE spec @> CAST(:probe AS jsonb) ORDER BY name",
      nativeQuery = true)
  List<String> namesContaining(@Param("probe") String probeJson);
}
