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

/**
 * A stored plan: its canonical document and its revision. Changed only through {@link #replace}.
 */
@Entity
@Table(name = "plan")
class Plan {

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
  private String labels;

  @JdbcTypeCode(SqlTypes.JSON)
  @Column(nullable = false)
  private String spec;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  protected Plan() {}

  static Plan create(String name, int revision, String spec, String labels, Instant now) {
    Plan p = new Plan();
    p.name = name;
    p.revision = revision;
    p.spec = spec;
    p.labels = labels;
    p.createdAt = now;
    p.updatedAt = now;
    return p;
  }

  /** Replaces the document; the revision moves on by one. */
  void replace(String newSpec, String newLabels, Instant now) {
    this.spec = newSpec;
    this.labels = newLabels;
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
