package dev.aviary.controller.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a router does besides its weight, as a rollout's steps so far ask: the header and cookie
 * routes that send requests to the new version whatever the weight, and the share of requests
 * copied to it (mirrored) whose answers are thrown away.
 *
 * @param headerRoutes in the order the plan added them; names are unique
 * @param mirrorPercent 0..100; 0 mirrors nothing
 * @param toStable whether the new version runs on the router's {@code stable} servers (a release to
 *     the other slot, see {@code ALTERNATING_SLOTS}): routes and copies go there then
 */
public record Routes(List<HeaderRoute> headerRoutes, int mirrorPercent, boolean toStable) {

  /** Nothing routed, nothing copied. */
  public static final Routes NONE = new Routes(List.of(), 0, false);

  public Routes {
    headerRoutes = List.copyOf(headerRoutes);
    if (mirrorPercent < 0 || mirrorPercent > 100) {
      throw new IllegalArgumentException("mirrorPercent must be 0..100");
    }
    if (headerRoutes.stream().map(HeaderRoute::name).distinct().count() != headerRoutes.size()) {
      throw new IllegalArgumentException("route names must be unique");
    }
  }

  public boolean isEmpty() {
    return headerRoutes.isEmpty() && mirrorPercent == 0;
  }

  /** The same routes with the other group as the new version's. */
  public Routes flipped() {
    return new Routes(headerRoutes, mirrorPercent, !toStable);
  }

  /** These routes with {@code route} added, or replacing the route of its name. */
  public Routes with(HeaderRoute route) {
    List<HeaderRoute> next = new ArrayList<>();
    boolean replaced = false;
    for (HeaderRoute r : headerRoutes) {
      if (r.name().equals(route.name())) {
        next.add(route);
        replaced = true;
      } else {
        next.add(r);
      }
    }
    if (!replaced) {
      next.add(route);
    }
    return new Routes(next, mirrorPercent, toStable);
  }

  /** These routes without the route named {@code name}. */
  public Routes without(String name) {
    return new Routes(
        headerRoutes.stream().filter(r -> !r.name().equals(name)).toList(),
        mirrorPercent,
        toStable);
  }

  public Routes mirroring(int percent) {
    return new Routes(headerRoutes, percent, toStable);
  }

  /**
   * Whether a router holding {@code other} does what these routes ask: the same routes (in any
   * order: a request matching two goes to the same place) and the same mirrored share. Routes with
   * nothing in them are equal whichever group they name.
   */
  public boolean sameEffect(Routes other) {
    if (isEmpty() && other.isEmpty()) {
      return true;
    }
    Comparator<HeaderRoute> byName = Comparator.comparing(HeaderRoute::name);
    return toStable == other.toStable
        && mirrorPercent == other.mirrorPercent
        && headerRoutes.stream()
            .sorted(byName)
            .toList()
            .equals(other.headerRoutes.stream().sorted(byName).toList());
  }

  /** For people: {@code header routes testers (header X-Canary = "always"); mirror 10%}. */
  public String describe() {
    if (isEmpty()) {
      return "no header routes, no mirroring";
    }
    List<String> parts = new ArrayList<>();
    if (!headerRoutes.isEmpty()) {
      parts.add(
          "routes "
              + headerRoutes.stream()
                  .map(r -> r.name() + " (" + r.describe() + ")")
                  .collect(Collectors.joining(", ")));
    }
    if (mirrorPercent > 0) {
      parts.add("mirror " + mirrorPercent + "%");
    }
    return String.join("; ", parts);
  }

  /**
   * One line without spaces that {@link #parse} reads back, for routers that keep their routes in a
   * file or a ledger: {@code routes:v1;stable=0;mirror=10;testers=header:X-Canary:e:always}.
   */
  public String canonical() {
    StringBuilder sb = new StringBuilder("routes:v1;stable=");
    sb.append(toStable ? 1 : 0).append(";mirror=").append(mirrorPercent);
    for (HeaderRoute r :
        headerRoutes.stream().sorted(Comparator.comparing(HeaderRoute::name)).toList()) {
      sb.append(';')
          .append(r.name())
          .append('=')
          .append(r.on() == HeaderRoute.On.HEADER ? "header" : "cookie")
          .append(':')
          .append(encode(r.key()))
          .append(':')
          .append(r.exact() != null ? "e" : "r")
          .append(':')
          .append(
              encode(r.exact() != null ? r.exact() : java.util.Objects.requireNonNull(r.regex())));
    }
    return sb.toString();
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The routes {@link #canonical} wrote; empty when {@code line} is not such a line. */
  public static java.util.Optional<Routes> parse(String line) {
    String[] parts = line.strip().split(";", -1);
    if (parts.length < 3
        || !parts[0].equals("routes:v1")
        || !parts[1].matches("stable=[01]")
        || !parts[2].matches("mirror=\\d{1,3}")) {
      return java.util.Optional.empty();
    }
    try {
      List<HeaderRoute> routes = new ArrayList<>();
      for (int i = 3; i < parts.length; i++) {
        String name = parts[i].substring(0, parts[i].indexOf('='));
        String[] f = parts[i].substring(name.length() + 1).split(":", -1);
        if (f.length != 4) {
          return java.util.Optional.empty();
        }
        boolean exact = f[2].equals("e");
        routes.add(
            new HeaderRoute(
                name,
                f[0].equals("header") ? HeaderRoute.On.HEADER : HeaderRoute.On.COOKIE,
                decode(f[1]),
                exact ? decode(f[3]) : null,
                exact ? null : decode(f[3])));
      }
      return java.util.Optional.of(
          new Routes(
              routes,
              Integer.parseInt(parts[2].substring("mirror=".length())),
              parts[1].endsWith("1")));
    } catch (RuntimeException e) {
      return java.util.Optional.empty();
    }
  }
}
