package dev.aviary.controller.routing;

import dev.aviary.controller.platform.kubernetes.KubernetesClients;
import dev.aviary.kernel.SettingsReader;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** What the adapters that steer Kubernetes objects (Gateway API, Istio) share. */
public final class KubernetesRouting {

  private KubernetesRouting() {}

  /**
   * Runs a Kubernetes API call; a failure becomes a {@link RouterException} quoting the API server,
   * retryable when trying again can help (conflicts, throttling, server errors, I/O).
   */
  public static <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      throw new RouterException(
          "Kubernetes API: "
              + (e.getStatus() != null && e.getStatus().getMessage() != null
                  ? e.getStatus().getMessage()
                  : e.getMessage()),
          KubernetesClients.retryable(e),
          e);
    }
  }

  /** The optional {@code kubeconfig} setting: an absolute path, or null for in-cluster/default. */
  public static @Nullable String kubeconfig(SettingsReader r) {
    String kubeconfig = r.string("kubeconfig").orElse(null);
    if (kubeconfig != null && !kubeconfig.startsWith("/")) {
      r.violation("kubeconfig", "must be an absolute path");
    }
    return kubeconfig;
  }

  /** The lane of a router that talks to the API server of {@code kubeconfig}'s context. */
  public static String destination(@Nullable String kubeconfig, @Nullable String context) {
    return "kubernetes "
        + (kubeconfig == null ? "(in-cluster or default kubeconfig)" : kubeconfig)
        + (context == null ? "" : " context " + context);
  }
}
