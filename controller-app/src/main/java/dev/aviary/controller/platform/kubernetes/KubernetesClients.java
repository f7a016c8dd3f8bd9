package dev.aviary.controller.platform.kubernetes;

import dev.aviary.kernel.Retryability;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Kubernetes clients for the router adapters, one per kubeconfig and context, kept open. With no
 * kubeconfig the client configures itself as fabric8 does: the in-cluster service account, else
 * {@code ~/.kube/config}.
 */
@Component
public class KubernetesClients implements DisposableBean {

  private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();

  public KubernetesClient client(@Nullable String kubeconfig, @Nullable String context) {
    String key = kubeconfig + "|" + context;
    return clients.computeIfAbsent(key, k -> build(kubeconfig, context));
  }

  private static KubernetesClient build(@Nullable String kubeconfig, @Nullable String context) {
    Config config;
    if (kubeconfig != null) {
      File file = new File(kubeconfig);
      if (!Files.isReadable(file.toPath())) {
        throw new KubernetesUnavailable("cannot read kubeconfig " + kubeconfig, false, null);
      }
      try {
        config = Config.fromKubeconfig(context, file);
      } catch (RuntimeException e) {
        throw new KubernetesUnavailable(
            "cannot use kubeconfig " + kubeconfig + ": " + e.getMessage(), false, e);
      }
    } else {
      config = Config.autoConfigure(context);
    }
    config.setRequestTimeout(10_000);
    config.setConnectionTimeout(5_000);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * Whether retrying a failed Kubernetes call can help: the shared HTTP rule, plus no answer at all
   * (code 0, I/O) and 409, which for a PATCH means another writer changed the object meanwhile.
   */
  public static boolean retryable(KubernetesClientException e) {
    int code = e.getCode();
    return code == 0 || code == 409 || dev.aviary.kernel.HttpStatuses.retryable(code);
  }

  @Override
  public void destroy() {
    clients.values().forEach(KubernetesClient::close);
  }

  /** The Kubernetes API could not be used. */
  public static final class KubernetesUnavailable extends RuntimeException implements Retryability {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    public KubernetesUnavailable(String message, boolean retryable, @Nullable Throwable cause) {
      super(message, cause);
      this.retryable = retryable;
    }

    @Override
    public boolean retryable() {
      return retryable;
    }
  }
}
