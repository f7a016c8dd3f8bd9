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

/** One change of a plan, kept forever. Immutable once written. */
@Entity
@Table(name = "plan_revision")
class PlanRevision {

  enum Change {
    CREATED,
    UPDATED,
    DELETED
  }

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(name = "plan_name", nullable = false, length = 63)
  private String planName;

  @Column(nullable = false)
  private int revision;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, length = 16)
  private Change change;

  @JdbcTypeCode(SqlTypes.JSON)
  private @Nullable String spec;

  @Column(nullable = false, length = 200)
  private String actor;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  protected PlanRevision() {}

  PlanRevision(
      String planName,
      int revision,
      Change change,
      @Nullable String spec,
      String actor,
      Instant createdAt) {
    this.planName = planName;
    this.revision = revision;
    this.change = change;
    this.spec = spec;
    this.actor = actor;
    this.createdAt = createdAt;
  }

  int revision() {
    return revision;
  }

  Change change() {
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
