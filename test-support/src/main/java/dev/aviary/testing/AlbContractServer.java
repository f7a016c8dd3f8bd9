package dev.aviary.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for Elastic Load Balancing v2 (Application Load Balancers): {@code DescribeListeners},
 * {@code ModifyListener}, {@code DescribeRules} and {@code ModifyRule}. No AWS emulator can be
 * installed here (moto and LocalStack come from PyPI, which this machine cannot reach), so this
 * contract server follows the API reference (version 2015-12-01) over the Query protocol the AWS
 * SDK speaks to it: a form-encoded {@code POST /} with {@code Action} and {@code Version}, answers
 * in XML ({@code <ModifyListenerResponse><ModifyListenerResult><Listeners><member>…}), errors as
 * {@code <ErrorResponse><Error><Code>}. It keeps the rules the reference states for a forward
 * action: one to five target groups, weights 0–999, every target group known ({@code
 * TargetGroupNotFound}), {@code TargetGroupArn} beside a {@code ForwardConfig} only when that names
 * the same single group, stickiness 1–604800 s; unknown listeners and rules are {@code
 * ListenerNotFound} / {@code RuleNotFound}; {@link #throttleNext} answers {@code Throttling}. Every
 * call must carry a valid Signature Version 4 for service {@code elasticloadbalancing}.
 */
public final class AlbContractServer implements AutoCloseable {

  private static final String NS = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";

  /** One target group of a forward action, with its weight (null: the default, 1). */
  public record TargetGroup(String arn, Integer weight) {}

  /** An action: its type, order, and for {@code forward} its target groups and stickiness. */
  public record Action(
      String type,
      Integer order,
      String targetGroupArn,
      List<TargetGroup> targetGroups,
      Boolean stickiness,
      Integer stickinessSeconds,
      Map<String, String> other) {}

  private final HttpServer server;
  private final SigV4Verifier verifier;
  private final Set<String> targetGroups = ConcurrentHashMap.newKeySet();
  private final Map<String, List<Action>> listeners = new ConcurrentHashMap<>();
  private final Map<String, List<Action>> rules = new ConcurrentHashMap<>();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger throttled = new AtomicInteger();

  public AlbContractServer(String region, SigV4Verifier.Key key) {
    this.verifier = new SigV4Verifier(region).accept(key);
    server = LoopbackHttp.start(this::handle);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void targetGroup(String arn) {
    targetGroups.add(arn);
  }

  /** A listener whose default action forwards to {@code targetGroup} alone. */
  public void listener(String arn, String targetGroup) {
    listeners.put(arn, List.of(forward(targetGroup)));
  }

  /** A rule whose actions are an authenticate step (kept as it is) then a forward. */
  public void rule(String arn, String targetGroup) {
    Action auth =
        new Action(
            "authenticate-oidc",
            1,
            null,
            List.of(),
            null,
            null,
            Map.of("AuthenticateOidcConfig.Issuer", "https://idp.example"));
    Action fwd = forward(targetGroup);
    rules.put(
        arn,
        List.of(
            auth,
            new Action(
                "forward", 2, fwd.targetGroupArn(), fwd.targetGroups(), null, null, Map.of())));
  }

  private static Action forward(String targetGroup) {
    return new Action(
        "forward", 1, targetGroup, List.of(new TargetGroup(targetGroup, 1)), false, null, Map.of());
  }

  public List<Action> listenerActions(String arn) {
    return listeners.get(arn);
  }

  public List<Action> ruleActions(String arn) {
    return rules.get(arn);
  }

  /** Sets a listener's actions as someone else would (drift). */
  public void setListenerActions(String arn, List<Action> actions) {
    listeners.put(arn, List.copyOf(actions));
  }

  public void throttleNext(int n) {
    throttled.set(n);
  }

  /** The {@code Action} of every call, in order. */
  public List<String> calls() {
    return List.copyOf(calls);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
      Optional<String> bad =
          verifier.check(
              "elasticloadbalancing",
              exchange.getRequestMethod(),
              exchange.getRequestURI().getRawPath(),
              exchange.getRequestURI().getRawQuery(),
              Map.copyOf(exchange.getRequestHeaders()),
              body);
      String action = form.getOrDefault("Action", "");
      calls.add(action);
      if (bad.isPresent()) {
        int colon = bad.get().indexOf(':');
        error(exchange, 403, bad.get().substring(0, colon), bad.get().substring(colon + 1).strip());
        return;
      }
      if (!"2015-12-01".equals(form.get("Version"))) {
        error(exchange, 400, "InvalidAction", "Version must be 2015-12-01");
        return;
      }
      if (throttled.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        error(exchange, 400, "Throttling", "Rate exceeded");
        return;
      }
      switch (action) {
        case "DescribeListeners" ->
            describe(
                exchange,
                action,
                "Listeners",
                "ListenerArn",
                "ListenerArns",
                form,
                listeners,
                "DefaultActions",
                "ListenerNotFound",
                "One or more listeners not found");
        case "DescribeRules" ->
            describe(
                exchange,
                action,
                "Rules",
                "RuleArn",
                "RuleArns",
                form,
                rules,
                "Actions",
                "RuleNotFound",
                "One or more rules not found");
        case "ModifyListener" ->
            modify(
                exchange,
                action,
                "Listeners",
                "ListenerArn",
                form,
                listeners,
                "DefaultActions",
                "ListenerNotFound",
                "One or more listeners not found");
        case "ModifyRule" ->
            modify(
                exchange,
                action,
                "Rules",
                "RuleArn",
                form,
                rules,
                "Actions",
                "RuleNotFound",
                "One or more rules not found");
        default -> error(exchange, 400, "InvalidAction", "Could not find operation " + action);
      }
    }
  }

  private void describe(
      HttpExchange exchange,
      String action,
      String plural,
      String arnField,
      String arnsField,
      Map<String, String> form,
      Map<String, List<Action>> store,
      String actionsField,
      String notFound,
      String notFoundMessage)
      throws IOException {
    StringBuilder members = new StringBuilder();
    for (int i = 1; form.containsKey(arnsField + ".member." + i); i++) {
      String arn = form.get(arnsField + ".member." + i);
      List<Action> actions = store.get(arn);
      if (actions == null) {
        error(exchange, 400, notFound, notFoundMessage);
        return;
      }
      members.append(member(arnField, arn, actionsField, actions));
    }
    ok(exchange, action, "<" + plural + ">" + members + "</" + plural + ">");
  }

  private void modify(
      HttpExchange exchange,
      String action,
      String plural,
      String arnField,
      Map<String, String> form,
      Map<String, List<Action>> store,
      String actionsField,
      String notFound,
      String notFoundMessage)
      throws IOException {
    String arn = form.get(arnField);
    if (arn == null || !store.containsKey(arn)) {
      error(exchange, 400, notFound, notFoundMessage);
      return;
    }
    List<Action> actions = new ArrayList<>();
    for (int i = 1; form.containsKey(actionsField + ".member." + i + ".Type"); i++) {
      String p = actionsField + ".member." + i + ".";
      List<TargetGroup> groups = new ArrayList<>();
      for (int j = 1;
          form.containsKey(p + "ForwardConfig.TargetGroups.member." + j + ".TargetGroupArn");
          j++) {
        String q = p + "ForwardConfig.TargetGroups.member." + j + ".";
        String w = form.get(q + "Weight");
        groups.add(
            new TargetGroup(
                form.get(q + "TargetGroupArn"), w == null ? null : Integer.parseInt(w)));
      }
      Map<String, String> other = new TreeMap<>();
      form.forEach(
          (k, v) -> {
            if (k.startsWith(p)
                && !k.startsWith(p + "ForwardConfig.")
                && !k.equals(p + "Type")
                && !k.equals(p + "Order")
                && !k.equals(p + "TargetGroupArn")) {
              other.put(k.substring(p.length()), v);
            }
          });
      String sticky = form.get(p + "ForwardConfig.TargetGroupStickinessConfig.Enabled");
      String seconds = form.get(p + "ForwardConfig.TargetGroupStickinessConfig.DurationSeconds");
      String order = form.get(p + "Order");
      actions.add(
          new Action(
              form.get(p + "Type"),
              order == null ? null : Integer.parseInt(order),
              form.get(p + "TargetGroupArn"),
              groups,
              sticky == null ? null : Boolean.parseBoolean(sticky),
              seconds == null ? null : Integer.parseInt(seconds),
              Map.copyOf(other)));
    }
    if (actions.isEmpty()) {
      error(exchange, 400, "ValidationError", actionsField + " must not be empty");
      return;
    }
    for (Action a : actions) {
      if (!a.type().equals("forward")) {
        continue;
      }
      List<TargetGroup> groups = a.targetGroups();
      if (groups.isEmpty() && a.targetGroupArn() == null) {
        error(exchange, 400, "ValidationError", "A forward action needs a target group");
        return;
      }
      if (groups.size() > 5) {
        error(exchange, 400, "TooManyTargetGroups", "At most 5 target groups per action");
        return;
      }
      if (a.targetGroupArn() != null
          && !groups.isEmpty()
          && (groups.size() != 1 || !groups.get(0).arn().equals(a.targetGroupArn()))) {
        error(
            exchange,
            400,
            "ValidationError",
            "You cannot specify both a TargetGroupArn and a ForwardConfig with more than one"
                + " target group, or another one");
        return;
      }
      for (TargetGroup g : groups) {
        if (!targetGroups.contains(g.arn())) {
          error(exchange, 400, "TargetGroupNotFound", "One or more target groups not found");
          return;
        }
        if (g.weight() != null && (g.weight() < 0 || g.weight() > 999)) {
          error(exchange, 400, "ValidationError", "Target group weights must be 0 to 999");
          return;
        }
      }
      if (a.stickinessSeconds() != null
          && (a.stickinessSeconds() < 1 || a.stickinessSeconds() > 604_800)) {
        error(exchange, 400, "ValidationError", "DurationSeconds must be 1 to 604800");
        return;
      }
    }
    store.put(arn, List.copyOf(actions));
    ok(
        exchange,
        action,
        "<" + plural + ">" + member(arnField, arn, actionsField, actions) + "</" + plural + ">");
  }

  private static String member(
      String arnField, String arn, String actionsField, List<Action> actions) {
    StringBuilder sb = new StringBuilder("<member><").append(arnField).append('>').append(arn);
    sb.append("</").append(arnField).append("><").append(actionsField).append('>');
    for (Action a : actions) {
      sb.append("<member><Type>").append(a.type()).append("</Type>");
      if (a.order() != null) {
        sb.append("<Order>").append(a.order()).append("</Order>");
      }
      if (a.targetGroupArn() != null) {
        sb.append("<TargetGroupArn>").append(a.targetGroupArn()).append("</TargetGroupArn>");
      }
      if (a.type().equals("forward")) {
        sb.append("<ForwardConfig><TargetGroups>");
        List<TargetGroup> groups =
            a.targetGroups().isEmpty()
                ? List.of(new TargetGroup(a.targetGroupArn(), 1))
                : a.targetGroups();
        for (TargetGroup g : groups) {
          sb.append("<member><TargetGroupArn>").append(g.arn()).append("</TargetGroupArn>");
          sb.append("<Weight>")
              .append(g.weight() == null ? 1 : g.weight())
              .append("</Weight></member>");
        }
        sb.append("</TargetGroups><TargetGroupStickinessConfig><Enabled>")
            .append(Boolean.TRUE.equals(a.stickiness()))
            .append("</Enabled>");
        if (a.stickinessSeconds() != null) {
          sb.append("<DurationSeconds>").append(a.stickinessSeconds()).append("</DurationSeconds>");
        }
        sb.append("</TargetGroupStickinessConfig></ForwardConfig>");
      }
      if (a.other().containsKey("AuthenticateOidcConfig.Issuer")) {
        sb.append("<AuthenticateOidcConfig><Issuer>")
            .append(a.other().get("AuthenticateOidcConfig.Issuer"))
            .append("</Issuer></AuthenticateOidcConfig>");
      }
      sb.append("</member>");
    }
    return sb.append("</").append(actionsField).append("></member>").toString();
  }

  private static Map<String, String> form(String body) {
    Map<String, String> form = new TreeMap<>();
    for (String pair : body.split("&", -1)) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return form;
  }

  private static void ok(HttpExchange exchange, String action, String result) throws IOException {
    String xml =
        "<"
            + action
            + "Response xmlns=\""
            + NS
            + "\"><"
            + action
            + "Result>"
            + result
            + "</"
            + action
            + "Result><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></"
            + action
            + "Response>";
    send(exchange, 200, xml);
  }

  private static void error(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    String xml =
        "<ErrorResponse xmlns=\""
            + NS
            + "\"><Error><Type>Sender</Type><Code>"
            + code
            + "</Code><Message>"
            + message.replace("&", "&amp;").replace("<", "&lt;")
            + "</Message></Error><RequestId>r-1</RequestId></ErrorResponse>";
    send(exchange, status, xml);
  }

  private static void send(HttpExchange exchange, int status, String xml) throws IOException {
    byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/xml");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
