package dev.aviary.controller.plan;

import dev.aviary.controller.platform.InvalidRequestException;
import dev.aviary.kernel.OutboundPolicy;
import dev.aviary.kernel.SettingViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Checks every destination a plan document names against the {@link OutboundPolicy} when the plan
 * is written: every {@code http(s)://} URL anywhere in it (metric backends, web metric queries,
 * routers, notifications) and every {@code address} of the form {@code host:port}. A destination
 * the policy refuses is a 400 naming the field, so that a plan that could not run is never stored;
 * the policy is checked again before every call.
 */
@Component
public class PlanDestinations {

  private static final Pattern URL_AUTHORITY =
      Pattern.compile("^(?i:https?)://([^/?#]*)(.*)$", Pattern.DOTALL);
  private static final Pattern HOST_PORT =
      Pattern.compile("^(\\[[0-9a-fA-F:.]+]|[^:/\\s]+):(\\d+)$");

  private final OutboundPolicy policy;

  PlanDestinations(OutboundPolicy policy) {
    this.policy = policy;
  }

  /**
   * Checks {@code document}'s destinations.
   *
   * @throws InvalidRequestException naming every field whose destination is refused
   */
  public void check(Map<String, Object> document) {
    List<SettingViolation> errors = new ArrayList<>();
    walk(document, "", "", errors);
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
  }

  private void walk(Object node, String path, String key, List<SettingViolation> errors) {
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String k = String.valueOf(e.getKey());
        walk(e.getValue(), path.isEmpty() ? k : path + "." + k, k, errors);
      }
    } else if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        walk(list.get(i), path + "[" + i + "]", key, errors);
      }
    } else if (node instanceof String text) {
      refusal(text, key).ifPresent(why -> errors.add(new SettingViolation(path, why)));
    }
  }

  private Optional<String> refusal(String text, String key) {
    Matcher url = URL_AUTHORITY.matcher(text.strip());
    if (url.matches()) {
      String authority = url.group(1);
      int at = authority.lastIndexOf('@');
      if (at >= 0) {
        authority = authority.substring(at + 1);
      }
      if (authority.contains("${")) {
        return Optional.of("the host of a URL must be written out, not taken from a variable");
      }
      boolean https = text.strip().regionMatches(true, 0, "https", 0, 5);
      Matcher hp = HOST_PORT.matcher(authority);
      String host = hp.matches() ? hp.group(1) : authority;
      int port = hp.matches() ? parsePort(hp.group(2)) : https ? 443 : 80;
      return refusal(host, port);
    }
    if (key.equals("address")) {
      Matcher hp = HOST_PORT.matcher(text.strip());
      if (hp.matches()) {
        return refusal(hp.group(1), parsePort(hp.group(2)));
      }
    }
    return Optional.empty();
  }

  private Optional<String> refusal(String host, int port) {
    if (host.isEmpty() || port < 1 || port > 65535) {
      return Optional.empty(); // not a destination; the field's own reader names what is wrong
    }
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return policy
        .refusal(bare, port)
        .map(why -> "calls to " + host + ":" + port + " are not allowed: " + why);
  }

  private static int parsePort(String digits) {
    try {
      return Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
