package dev.aviary.controller.plan;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface MetricTemplateRevisionRepository extends JpaRepository<MetricTemplateRevision, Long> {

  List<MetricTemplateRevision> findByTemplateNameOrderByRevisionDesc(String templateName);

  Optional<MetricTemplateRevision> findByTemplateNameAndRevision(String templateName, int revision);

  @Query(
      "SELECT coalesce(max(r.revision), 0) FROM MetricTemplateRevision r"
          + " WHERE r.templateName = :templateName")
  int lastRevision(String templateName);
}
