package dev.aviary.controller.plan;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A stored metric template: its canonical document and its revision. */
@Entity
@Table(name = "metric_template")
class MetricTemplate {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  @Column(nullable = false, unique = true, length = 63)
  private String name;

  @Column(nullable = false)
  private int revision;

  @Version
  @Column(nullable = false)
  private long version;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  private String spec;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  protected MetricTemplate() {}

  static MetricTemplate create(String name, int revision, String spec, Instant now) {
    MetricTemplate t = new MetricTemplate();
    t.name = name;
    t.revision = revision;
    t.spec = spec;
    t.createdAt = now;
    t.updatedAt = now;
    return t;
  }

  /** Replaces the document; the revision moves on by one. */
  void replace(String newSpec, Instant now) {
    this.spec = newSpec;
    this.revision++;
    this.updatedAt = now;
  }

  String name() {
    return name;
  }

  int revision() {
    return revision;
  }

  String spec() {
    return spec;
  }

  Instant createdAt() {
    return createdAt;
  }

  Instant updatedAt() {
    return updatedAt;
  }
}
