package dev.aviary.controller.plan;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface MetricTemplateRepository extends JpaRepository<MetricTemplate, Long> {

  Optional<MetricTemplate> findByName(String name);

  List<MetricTemplate> findAllByOrderByNameAsc();
}
