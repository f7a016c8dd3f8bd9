package dev.aviary.controller.parallelrun;

import dev.aviary.parallelrun.report.ComparisonReport;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Comparison reports and samples in PostgreSQL. A report is stored once per (rollout, source,
 * sequence); at most {@link #SAMPLES_PER_PATH} samples are kept per rollout, endpoint and first
 * differing path.
 */
@Repository
class ComparisonStore {

  static final int SAMPLES_PER_PATH = 5;
  private static final TypeReference<List<ComparisonReport.EndpointCounts>> COUNTS =
      new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final JsonMapper json;

  ComparisonStore(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** Stores a report for {@code rollout}; answers false when it was stored before. */
  boolean insert(UUID rollout, ComparisonReport r, Instant now) {
    long compared = 0;
    for (ComparisonReport.EndpointCounts e : r.endpoints()) {
      compared += e.compared();
    }
    int rows =
        jdbc.sql(
                """
                INSERT INTO comparison_report
                    (rollout_id, source, sequence, received_at, from_at, to_at, compared, counts)
                VALUES (:rollout, :source, :sequence, :now, :from, :to, :compared, CAST(:counts AS jsonb))
                ON CONFLICT ON CONSTRAINT comparison_report_once DO NOTHING
                """)
            .param("rollout", rollout)
            .param("source", r.source())
            .param("sequence", r.sequence())
            .param("now", Timestamp.from(now))
            .param("from", Timestamp.from(r.from()))
            .param("to", Timestamp.from(r.to()))
            .param("compared", compared)
            .param("counts", json.writeValueAsString(r.endpoints()))
            .update();
    if (rows == 0) {
      return false;
    }
    for (ComparisonReport.Sample s : r.samples()) {
      String path = s.paths().isEmpty() ? "" : s.paths().get(0);
      jdbc.sql(
              """
              INSERT INTO comparison_sample (rollout_id, endpoint, path, received_at, sample)
              SELECT :rollout, :endpoint, :path, :now, CAST(:sample AS jsonb)
              WHERE (SELECT count(*) FROM comparison_sample
                     WHERE rollout_id = :rollout AND endpoint = :endpoint AND path = :path) < :max
              """)
          .param("rollout", rollout)
          .param("endpoint", cut(s.endpoint(), 300))
          .param("path", cut(path, 500))
          .param("now", Timestamp.from(now))
          .param("sample", json.writeValueAsString(s))
          .param("max", SAMPLES_PER_PATH)
          .update();
    }
    return true;
  }

  /** Every report's counts for {@code rollout} received at or after {@code from}, in any order. */
  List<List<ComparisonReport.EndpointCounts>> counts(UUID rollout, Instant from) {
    return jdbc.sql(
            "SELECT counts FROM comparison_report WHERE rollout_id = :rollout AND received_at >= :from")
        .param("rollout", rollout)
        .param("from", Timestamp.from(from))
        .query((rs, n) -> json.readValue(rs.getString(1), COUNTS))
        .list();
  }

  /** Counts of reports received in [from, to). */
  List<List<ComparisonReport.EndpointCounts>> counts(UUID rollout, Instant from, Instant to) {
    return jdbc.sql(
            """
            SELECT counts FROM comparison_report
            WHERE rollout_id = :rollout AND received_at >= :from AND received_at < :to
            """)
        .param("rollout", rollout)
        .param("from", Timestamp.from(from))
        .param("to", Timestamp.from(to))
        .query((rs, n) -> json.readValue(rs.getString(1), COUNTS))
        .list();
  }

  /** The samples kept for {@code rollout}, newest first. */
  List<ComparisonReport.Sample> samples(UUID rollout, int limit) {
    return jdbc.sql(
            """
            SELECT sample FROM comparison_sample WHERE rollout_id = :rollout
            ORDER BY received_at DESC, id DESC LIMIT :limit
            """)
        .param("rollout", rollout)
        .param("limit", limit)
        .query((rs, n) -> json.readValue(rs.getString(1), ComparisonReport.Sample.class))
        .list();
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
