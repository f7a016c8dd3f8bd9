package dev.aviary.controller.plan;

import dev.aviary.controller.routing.HeaderRoute;
import dev.aviary.controller.routing.RouterCapability;
import dev.aviary.kernel.SettingsReader;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * {@code {"setHeaderRoute": {"name": "testers", "match": {"header": "X-Canary", "value":
 * "always"}}}}: requests with that header (or {@code "cookie"}; {@code "regex"} instead of {@code
 * "value"}) go to the new version whatever the weight. Without {@code match} it removes the route
 * of that name.
 */
final class SetHeaderRouteStep implements StepHandler<Step.SetHeaderRoute> {

  static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?");

  @Override
  public String kind() {
    return "setHeaderRoute";
  }

  @Override
  public Class<Step.SetHeaderRoute> type() {
    return Step.SetHeaderRoute.class;
  }

  @Override
  public Step.@Nullable SetHeaderRoute read(SettingsReader s, StepReading context) {
    Optional<SettingsReader> o = s.object(kind());
    if (o.isEmpty()) {
      if (s.raw().get(kind()) == null) {
        s.violation(
            kind(),
            "must be an object: {\"name\": \"testers\", \"match\": {\"header\": \"X-Canary\","
                + " \"value\": \"always\"}}, or {\"name\": \"testers\"} to remove that route");
      }
      return null;
    }
    SettingsReader step = o.get();
    String name = step.requiredString("name");
    if (name != null && !NAME.matcher(name).matches()) {
      step.violation(
          "name",
          "must be lower-case letters, digits and '-', 1 to 40, starting with a letter or digit");
      name = null;
    }
    HeaderRoute route = null;
    boolean matchValid = true;
    if (step.has("match")) {
      Optional<SettingsReader> m = step.object("match");
      matchValid = m.isPresent();
      if (m.isPresent() && name != null) {
        route = match(m.get(), name);
        matchValid = route != null;
      }
    }
    step.rejectUnknown();
    if (name == null || !matchValid) {
      return null;
    }
    return new Step.SetHeaderRoute(name, route);
  }

  static @Nullable HeaderRoute match(SettingsReader m, String name) {
    boolean header = m.has("header");
    boolean cookie = m.has("cookie");
    if (header == cookie) {
      m.violation("", "must name exactly one of header, cookie");
      for (String known : List.of("header", "cookie", "value", "regex")) {
        m.allow(known);
      }
      m.rejectUnknown();
      return null;
    }
    String keyField = header ? "header" : "cookie";
    String key = m.requiredString(keyField);
    if (key != null && !HeaderRoute.KEY.matcher(key).matches()) {
      m.violation(keyField, "must be a header or cookie name: letters, digits and !#$%&'*+.^_`|~-");
      key = null;
    }
    boolean exact = m.has("value");
    boolean regex = m.has("regex");
    if (exact == regex) {
      m.violation(
          "", "must hold exactly one of value (matched exactly), regex (matching the whole value)");
      m.allow("value");
      m.allow("regex");
      m.rejectUnknown();
      return null;
    }
    String valueField = exact ? "value" : "regex";
    String value = m.requiredString(valueField);
    if (value != null && exact && !HeaderRoute.VALUE.matcher(value).matches()) {
      m.violation("value", "must be 1 to 256 printable ASCII characters without \" or \\");
      value = null;
    }
    if (value != null && regex) {
      if (!HeaderRoute.REGEX.matcher(value).matches()) {
        m.violation("regex", "must be 1 to 256 printable ASCII characters without \"");
        value = null;
      } else {
        try {
          Pattern.compile(value);
        } catch (PatternSyntaxException e) {
          m.violation("regex", "is not a regular expression: " + e.getDescription());
          value = null;
        }
      }
    }
    m.rejectUnknown();
    if (key == null || value == null) {
      return null;
    }
    return new HeaderRoute(
        name,
        header ? HeaderRoute.On.HEADER : HeaderRoute.On.COOKIE,
        key,
        exact ? value : null,
        exact ? null : value);
  }

  @Override
  public PlanDocument.StepDocument write(Step.SetHeaderRoute step) {
    HeaderRoute r = step.route();
    PlanDocument.HeaderMatchDocument match =
        r == null
            ? null
            : new PlanDocument.HeaderMatchDocument(
                r.on() == HeaderRoute.On.HEADER ? r.key() : null,
                r.on() == HeaderRoute.On.COOKIE ? r.key() : null,
                r.exact(),
                r.regex());
    return PlanDocument.StepDocument.headerRoute(
        new PlanDocument.HeaderRouteDocument(step.name(), match));
  }

  @Override
  public String describe(Step.SetHeaderRoute step) {
    HeaderRoute r = step.route();
    return r == null
        ? "remove header route " + step.name()
        : "header route " + step.name() + ": " + r.describe();
  }

  @Override
  public Set<RouterCapability> requires(Step.SetHeaderRoute step) {
    HeaderRoute r = step.route();
    return r == null ? Set.of() : Set.of(r.capability());
  }

  @Override
  public Entry enter(Step.SetHeaderRoute step, StepRun run) {
    return Entry.CONTINUE;
  }

  /** Complete once the router holds the routes the steps so far ask for, this one's included. */
  @Override
  public boolean complete(Step.SetHeaderRoute step, StepRun run) {
    return run.routesApplied();
  }
}
