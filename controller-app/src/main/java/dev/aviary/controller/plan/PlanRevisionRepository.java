package dev.aviary.controller.plan;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface PlanRevisionRepository extends JpaRepository<PlanRevision, Long> {

  List<PlanRevision> findByPlanNameOrderByRevisionDesc(String planName);

  Optional<PlanRevision> findByPlanNameAndRevision(String planName, int revision);

  @Query("SELECT coalesce(max(r.revision), 0) FROM PlanRevision r WHERE r.planName = :planName")
  int lastRevision(String planName);
}
