package dev.aviary.controller.plan;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;

/** One change of a metric template, kept forever: rollouts read the revision they started on. */
@Entity
@Table(name = "metric_template_revision")
class MetricTemplateRevision {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(name = "template_name", nullable = false, length = 63)
  private String templateName;

  @Column(nullable = false)
  private int revision;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, length = 16)
  private PlanRevision.Change change;

  @JdbcTypeCode(SqlTypes.JSON)
  private @Nullable String spec;

  @Column(nullable = false, length = 200)
  private String actor;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  protected MetricTemplateRevision() {}

  MetricTemplateRevision(
      String templateName,
      int revision,
      PlanRevision.Change change,
      @Nullable String spec,
      String actor,
      Instant createdAt) {
    this.templateName = templateName;
    this.revision = revision;
    this.change = change;
    this.spec = spec;
    this.actor = actor;
    this.createdAt = createdAt;
  }

  int revision() {
    return revision;
  }

  PlanRevision.Change change() {
    return change;
  }

  @Nullable String spec() {
    return spec;
  }

  String actor() {
    return actor;
  }

  Instant createdAt() {
    return createdAt;
  }
}
