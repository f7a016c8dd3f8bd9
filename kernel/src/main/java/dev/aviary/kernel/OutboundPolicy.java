package dev.aviary.kernel;

import java.net.URI;
import java.util.Optional;

/**
 * Where the destinations a plan names — metric backends, routers, webhooks — may be. A plan is
 * written by an operator, but its requests leave from the controller, with the controller's network
 * position and the plan's credentials: which hosts that may reach is an admin's decision, checked
 * when a plan is written and again before every call (a name may resolve elsewhere later).
 */
@FunctionalInterface
public interface OutboundPolicy {

  /** Every destination allowed: for the engine used on its own, and for tests of it. */
  OutboundPolicy ANY = (host, port) -> Optional.empty();

  /**
   * Why {@code host} (a name or an address literal) and {@code port} may not be called, or empty
   * when they may.
   */
  Optional<String> refusal(String host, int port);

  /**
   * Refuses a call to {@code uri}.
   *
   * @throws DestinationRefusedException naming the destination and why
   */
  default void check(URI uri) {
    String host = uri.getHost();
    if (host == null) {
      throw new DestinationRefusedException(uri + " names no host");
    }
    int port = uri.getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    Optional<String> why = refusal(bare, port);
    if (why.isPresent()) {
      throw new DestinationRefusedException(
          "calls to " + host + ":" + port + " are not allowed: " + why.get());
    }
  }

  /** A call the outbound policy refuses. Not worth retrying: only an admin can change it. */
  final class DestinationRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DestinationRefusedException(String message) {
      super(message);
    }
  }
}
