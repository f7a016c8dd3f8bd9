package dev.aviary.controller.platform.outbound;

import dev.aviary.kernel.OutboundPolicy;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * The outbound policy an admin configures ({@code aviary.outbound.*}), in this order:
 *
 * <ol>
 *   <li>the controller's own listen port on any of its own addresses: never (a plan calling the
 *       controller's API would do so with credentials of the plan author's choosing);
 *   <li>a destination on the deny list: refused;
 *   <li>on the allow list: allowed;
 *   <li>loopback, link-local (169.254.0.0/16 and fe80::/10, where cloud metadata services live) and
 *       unspecified addresses: refused unless allowed above;
 *   <li>anything else: allowed, unless {@code allow-only} is set.
 * </ol>
 *
 * A rule is a CIDR block ({@code 10.0.0.0/8}, {@code ::1/128}), an address, a host name, or a
 * domain ({@code *.svc.cluster.local}). Names are resolved and every address they resolve to must
 * pass: a name that also resolves to loopback does not slip through.
 */
final class Destinations implements OutboundPolicy {

  static final List<String> DENIED_BY_DEFAULT =
      List.of(
          "127.0.0.0/8",
          "::1/128",
          "0.0.0.0/8",
          "::/128",
          "169.254.0.0/16",
          "fe80::/10",
          "fd00:ec2::254/128"); // IPv4-mapped IPv6 literals arrive here as IPv4 addresses

  private final List<Rule> allow;
  private final List<Rule> deny;
  private final List<Rule> defaultDeny;
  private final boolean allowOnly;
  private final IntSupplier ownPort;
  private final Resolver resolver;

  /** How names become addresses; the system resolver outside tests. */
  @FunctionalInterface
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /**
   * A policy of these rules.
   *
   * @param allow rules that allow (and lift the default denial)
   * @param deny rules that refuse, whatever is allowed
   * @param allowOnly whether only allowed destinations may be called
   * @param ownPort the controller's listen port (0 while unknown)
   * @param resolver how names are resolved
   * @throws IllegalArgumentException naming a rule that is not one
   */
  Destinations(
      List<String> allow,
      List<String> deny,
      boolean allowOnly,
      IntSupplier ownPort,
      Resolver resolver) {
    this.allow = rules(allow, "aviary.outbound.allow");
    this.deny = rules(deny, "aviary.outbound.deny");
    this.defaultDeny = rules(DENIED_BY_DEFAULT, "default");
    this.allowOnly = allowOnly;
    this.ownPort = ownPort;
    this.resolver = resolver;
  }

  @Override
  public Optional<String> refusal(String host, int port) {
    String name = host.toLowerCase(Locale.ROOT);
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(name);
    } catch (UnknownHostException e) {
      return Optional.empty(); // nothing to call: the connection itself fails, and says so
    }
    for (InetAddress address : addresses) {
      Optional<String> why = refusal(name, address, port);
      if (why.isPresent()) {
        return why;
      }
    }
    return Optional.empty();
  }

  private Optional<String> refusal(String name, InetAddress address, int port) {
    int own = ownPort.getAsInt();
    if (own > 0 && port == own && isLocal(address)) {
      return Optional.of("it is Aviary's own API, which plans may not call");
    }
    for (Rule r : deny) {
      if (r.matches(name, address)) {
        return Optional.of("denied by aviary.outbound.deny (" + r.text + ")");
      }
    }
    for (Rule r : allow) {
      if (r.matches(name, address)) {
        return Optional.empty();
      }
    }
    for (Rule r : defaultDeny) {
      if (r.matches(name, address)) {
        return Optional.of(
            address.getHostAddress()
                + " is a loopback, link-local or unspecified address, denied unless an admin"
                + " allows it (aviary.outbound.allow)");
      }
    }
    if (allowOnly) {
      return Optional.of("not on the allow list (aviary.outbound.allow, allow-only)");
    }
    return Optional.empty();
  }

  private static boolean isLocal(InetAddress address) {
    if (address.isLoopbackAddress() || address.isAnyLocalAddress()) {
      return true;
    }
    try {
      return NetworkInterface.getByInetAddress(address) != null;
    } catch (SocketException e) {
      return false;
    }
  }

  private static List<Rule> rules(List<String> texts, String property) {
    List<Rule> rules = new ArrayList<>();
    for (String text : texts) {
      String t = text.trim().toLowerCase(Locale.ROOT);
      if (!t.isEmpty()) {
        rules.add(Rule.parse(t, property));
      }
    }
    return Collections.unmodifiableList(rules);
  }

  /** One rule: a block of addresses, or a name or domain. */
  private static final class Rule {
    final String text;
    final byte[] network;
    final int prefix;
    final String domain;

    private Rule(String text, byte[] network, int prefix, String domain) {
      this.text = text;
      this.network = network;
      this.prefix = prefix;
      this.domain = domain;
    }

    static Rule parse(String text, String property) {
      String address = text;
      int prefix = -1;
      int slash = text.indexOf('/');
      if (slash > 0) {
        address = text.substring(0, slash);
        try {
          prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(property + ": '" + text + "' has a bad prefix length");
        }
      }
      if (address.matches("[0-9.]+") || address.contains(":")) {
        byte[] bytes;
        try {
          bytes = InetAddress.getByName(address).getAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
          throw new IllegalArgumentException(property + ": '" + text + "' is not an address");
        }
        int bits = bytes.length * 8;
        if (prefix < 0) {
          prefix = bits;
        }
        if (prefix > bits) {
          throw new IllegalArgumentException(property + ": '" + text + "' has a bad prefix length");
        }
        return new Rule(text, bytes, prefix, "");
      }
      if (slash > 0 || !text.matches("(\\*\\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
        throw new IllegalArgumentException(
            property + ": '" + text + "' is neither an address block nor a host name");
      }
      return new Rule(text, new byte[0], 0, text);
    }

    boolean matches(String name, InetAddress address) {
      if (!domain.isEmpty()) {
        return domain.startsWith("*.") ? name.endsWith(domain.substring(1)) : name.equals(domain);
      }
      byte[] a = address.getAddress();
      if (a.length != network.length) {
        return false;
      }
      int bits = a.length * 8;
      BigInteger mask =
          BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftRight(prefix).not();
      BigInteger x = new BigInteger(1, a).and(mask);
      BigInteger n = new BigInteger(1, network).and(mask);
      return x.equals(n);
    }
  }
}
