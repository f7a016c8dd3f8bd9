package dev.aviary.controller.routing.haproxy;

import dev.aviary.analysis.metrics.QueryLanguage;
import dev.aviary.controller.routing.RouterCapability;
import dev.aviary.controller.routing.RouterException;
import dev.aviary.controller.routing.RouterMetric;
import dev.aviary.controller.routing.RouterTarget;
import dev.aviary.controller.routing.SettingsRouterFactory;
import dev.aviary.controller.routing.TrafficRouter;
import dev.aviary.controller.routing.WeightSplit;
import dev.aviary.kernel.OutboundPolicy;
import dev.aviary.kernel.Parsed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * HAProxy through its runtime API: {@code set server <backend>/<server> weight <n>} for every
 * stable and canary server (weights out of 256, spread over each group), read back with {@code get
 * weight}. Runtime weights do not survive an HAProxy reload or restart; the next tick sees the
 * configured weights, records the drift and sets them again.
 */
@Component
class HaproxyRouterFactory extends SettingsRouterFactory<HaproxySettings> {

  static final String TYPE = "haproxy";
  static final int SCALE = 256;

  private final OutboundPolicy outbound;

  HaproxyRouterFactory(OutboundPolicy outbound) {
    super(TYPE, RouterCapability.WEIGHTED_SPLIT, RouterCapability.ALTERNATING_SLOTS);
    this.outbound = outbound;
  }

  @Override
  protected Parsed<HaproxySettings> parse(Map<String, ?> settings) {
    return HaproxySettings.parse(settings);
  }

  @Override
  protected String destination(HaproxySettings settings) {
    return "haproxy " + settings.address();
  }

  @Override
  public Set<String> metricTemplates() {
    return Set.of(RouterMetric.HTTP_ERROR_RATE);
  }

  /**
   * {@code http-error-rate} from HAProxy's built-in Prometheus exporter ({@code http-request
   * use-service prometheus-exporter}): the 5xx answers of the backend's canary servers against all
   * their answers, and the same of its stable servers.
   */
  @Override
  public Optional<RouterMetric> metricTemplate(String name, Map<String, ?> raw) {
    HaproxySettings settings = HaproxySettings.parse(raw).value();
    if (!RouterMetric.HTTP_ERROR_RATE.equals(name) || settings == null) {
      return Optional.empty();
    }
    String canary = selector(settings.backend(), settings.canary());
    String stable = selector(settings.backend(), settings.stable());
    return Optional.of(
        new RouterMetric(
            errors(canary),
            answers(canary),
            errors(stable),
            answers(stable),
            "prometheus",
            "HAProxy's Prometheus exporter (haproxy_server_http_responses_total)"));
  }

  private static String selector(String backend, List<String> servers) {
    // a backend's name holds letters, digits and _ . : - only: as it is, an exact match
    return "proxy=\"" + backend + "\",server=~\"" + QueryLanguage.promqlAnyOf(servers) + "\"";
  }

  private static String errors(String selector) {
    return "sum(increase(haproxy_server_http_responses_total{"
        + selector
        + ",code=\"5xx\"}[${window}]))";
  }

  private static String answers(String selector) {
    return "sum(increase(haproxy_server_http_responses_total{" + selector + "}[${window}]))";
  }

  @Override
  protected TrafficRouter create(RouterTarget target, HaproxySettings settings) {
    return new HaproxyRouter(settings, outbound);
  }

  static final class HaproxyRouter implements TrafficRouter {
    private final HaproxySettings settings;
    private final HaproxyRuntimeApi api;
    private final WeightSplit split;

    HaproxyRouter(HaproxySettings settings, OutboundPolicy outbound) {
      this.settings = settings;
      this.api = new HaproxyRuntimeApi(settings, outbound);
      this.split = new WeightSplit(SCALE, settings.stable().size(), settings.canary().size());
    }

    private List<String> servers() {
      List<String> all = new ArrayList<>(settings.stable());
      all.addAll(settings.canary());
      return all;
    }

    /**
     * One server at a time, rising weights first: a change that stops halfway leaves a share
     * between the old and the new one, never all servers at 0 (see {@link WeightSplit#applyOrder}).
     */
    @Override
    public void setCanaryWeight(int weight) {
      int[] weights = split.encode(weight);
      List<String> servers = servers();
      for (int i : WeightSplit.applyOrder(currentWeights(servers), weights)) {
        String answer =
            api.execute(
                    "set server "
                        + settings.backend()
                        + "/"
                        + servers.get(i)
                        + " weight "
                        + weights[i])
                .strip();
        if (!answer.isEmpty()) {
          throw RouterException.fatal(
              "HAProxy refused to set "
                  + settings.backend()
                  + "/"
                  + servers.get(i)
                  + ": "
                  + answer);
        }
      }
    }

    @Override
    public OptionalInt currentCanaryWeight() {
      return split.decode(currentWeights(servers()));
    }

    private int[] currentWeights(List<String> servers) {
      int[] weights = new int[servers.size()];
      for (int i = 0; i < servers.size(); i++) {
        String answer =
            api.execute("get weight " + settings.backend() + "/" + servers.get(i)).strip();
        // "51 (initial 100)"; errors are words such as "No such server."
        String first = answer.split("\\s+", -1)[0];
        if (!first.matches("\\d+")) {
          throw RouterException.fatal(
              "HAProxy has no server " + settings.backend() + "/" + servers.get(i) + ": " + answer);
        }
        weights[i] = Integer.parseInt(first);
      }
      return weights;
    }

    @Override
    public void finish(boolean promoted) {
      setCanaryWeight(promoted ? 100 : 0);
    }
  }
}
