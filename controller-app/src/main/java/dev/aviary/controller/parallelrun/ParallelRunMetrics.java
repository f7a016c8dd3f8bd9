package dev.aviary.controller.parallelrun;

import dev.aviary.analysis.FatalAnalysisException;
import dev.aviary.analysis.metrics.MetricData;
import dev.aviary.analysis.metrics.MetricProvider;
import dev.aviary.analysis.metrics.MetricProviderFactory;
import dev.aviary.analysis.metrics.MetricQuery;
import dev.aviary.analysis.metrics.ProviderContext;
import dev.aviary.analysis.metrics.TimeSeries;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.parallelrun.report.ComparisonReport;
import dev.aviary.parallelrun.tally.ComparisonSummary;
import dev.aviary.parallelrun.tally.NoiseThresholds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * The built-in metric provider {@code parallel-run}: the comparisons reported for the rollout being
 * judged, in the analysis window, so that an analysis can judge the noise-cancelled mismatch rate
 * like any count metric:
 *
 * <pre>
 * {"name": "answers", "provider": {"type": "parallel-run"},
 *  "counts": {"bad": "mismatches", "total": "comparisons"}}
 * </pre>
 *
 * A query is {@code mismatches}, {@code comparisons}, {@code candidateErrors} or {@code skipped},
 * optionally for one endpoint: {@code mismatches{endpoint="GET /api/quote"}}. On the canary's side
 * they count the candidate against the primary; on the baseline's, the secondary against the
 * primary (the noise floor: for {@code mismatches}, the requests of the most often differing path
 * that is not noise). A window without any report is no data, never 0.
 */
@Component
class ParallelRunMetrics implements MetricProviderFactory {

  static final String TYPE = "parallel-run";
  private static final Pattern QUERY =
      Pattern.compile(
          "\\s*(mismatches|comparisons|candidateErrors|skipped)\\s*(?:\\{\\s*endpoint\\s*=\\s*\"([^\"]*)\"\\s*\\})?\\s*");

  private final ComparisonStore store;

  ParallelRunMetrics(ComparisonStore store) {
    this.store = store;
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<SettingViolation> validate(Map<String, ?> settings) {
    List<SettingViolation> v = new ArrayList<>();
    for (String key : settings.keySet()) {
      if (!"type".equals(key)) {
        v.add(new SettingViolation(key, "the parallel-run provider has no settings"));
      }
    }
    return v;
  }

  @Override
  public MetricProvider create(Map<String, ?> settings, ProviderContext context) {
    return new MetricProvider() {
      @Override
      public String backend(MetricQuery query) {
        return "parallel-run comparisons";
      }

      @Override
      public MetricData fetch(MetricQuery query) {
        Matcher m = QUERY.matcher(query.template());
        if (!m.matches()) {
          throw new FatalAnalysisException(
              "a parallel-run query is mismatches, comparisons, candidateErrors or skipped,"
                  + " optionally {endpoint=\"...\"}; was "
                  + query.template());
        }
        Map<String, String> vars = query.variables() == null ? Map.of() : query.variables();
        String rollout = vars.get("rollout");
        if (rollout == null) {
          throw new FatalAnalysisException("a parallel-run query needs the rollout variable");
        }
        UUID id;
        try {
          id = UUID.fromString(rollout);
        } catch (IllegalArgumentException e) {
          throw new FatalAnalysisException("the rollout variable is not a rollout id: " + rollout);
        }
        List<List<ComparisonReport.EndpointCounts>> reports =
            store.counts(id, query.start(), query.end());
        if (reports.isEmpty()) {
          return new MetricData.NoData(
              "no comparisons were reported between "
                  + query.start()
                  + " and "
                  + query.end()
                  + ": is the comparing proxy in front of the service and reporting?");
        }
        String endpoint = m.group(2);
        ComparisonSummary.Builder b = ComparisonSummary.builder();
        for (List<ComparisonReport.EndpointCounts> counts : reports) {
          for (ComparisonReport.EndpointCounts c : counts) {
            if (endpoint == null || endpoint.equals(c.endpoint())) {
              b.add(c);
            }
          }
        }
        ComparisonSummary s = b.build(NoiseThresholds.DEFAULT);
        boolean canary = vars.getOrDefault("version", "").equals(vars.getOrDefault("canary", ""));
        double value = canary ? candidate(m.group(1), s) : secondary(m.group(1), s);
        return new MetricData.Values(
            new TimeSeries(
                Map.of(), new long[] {query.end().getEpochSecond()}, new double[] {value}));
      }
    };
  }

  private static double candidate(String what, ComparisonSummary s) {
    return switch (what) {
      case "mismatches" -> s.mismatches();
      case "comparisons" -> s.comparisons();
      case "candidateErrors" -> s.candidateErrors();
      default -> s.skipped();
    };
  }

  private static double secondary(String what, ComparisonSummary s) {
    long comparisons = 0;
    long worst = 0;
    long errors = 0;
    for (ComparisonSummary.EndpointSummary e : s.endpoints()) {
      comparisons += e.secondaryComparisons();
      long endpointWorst = 0;
      for (ComparisonSummary.FieldSummary f : e.fields()) {
        if (!f.noise()) {
          endpointWorst = Math.max(endpointWorst, f.secondaryDiffs());
        }
        if ("error".equals(f.path())) {
          errors += f.secondaryDiffs();
        }
      }
      worst += endpointWorst;
    }
    return switch (what) {
      case "mismatches" -> worst;
      case "comparisons" -> comparisons;
      case "candidateErrors" -> errors;
      default -> s.skipped();
    };
  }
}
