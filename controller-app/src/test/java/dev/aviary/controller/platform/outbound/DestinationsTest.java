package dev.aviary.controller.platform.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aviary.kernel.OutboundPolicy;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DestinationsTest {

  /** Names resolve as this table says; address literals as themselves; anything else not at all. */
  private static final Map<String, List<String>> DNS =
      Map.of(
          "prometheus.internal", List.of("10.1.2.3"),
          "metadata.google.internal", List.of("169.254.169.254"),
          "sneaky.example", List.of("93.184.216.34", "127.0.0.1"),
          "localhost", List.of("127.0.0.1", "::1"));

  private static InetAddress[] resolve(String host) throws UnknownHostException {
    if (host.matches("[0-9.]+") || host.contains(":")) {
      return new InetAddress[] {InetAddress.getByName(host)};
    }
    List<String> addresses = DNS.get(host);
    if (addresses == null) {
      throw new UnknownHostException(host);
    }
    InetAddress[] out = new InetAddress[addresses.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = InetAddress.getByAddress(host, InetAddress.getByName(addresses.get(i)).getAddress());
    }
    return out;
  }

  private static Destinations policy(List<String> allow, List<String> deny, boolean only) {
    return new Destinations(allow, deny, only, () -> 8080, DestinationsTest::resolve);
  }

  @Test
  void loopbackLinkLocalAndUnspecifiedAreRefusedByDefault() {
    Destinations d = policy(List.of(), List.of(), false);
    for (String host :
        List.of(
            "127.0.0.1",
            "127.8.9.10",
            "::1",
            "0.0.0.0",
            "169.254.169.254",
            "fe80::1",
            "fd00:ec2::254",
            "::ffff:127.0.0.1",
            "localhost",
            "metadata.google.internal")) {
      assertThat(d.refusal(host, 9090)).as(host).isPresent();
    }
    assertThat(d.refusal("localhost", 9090).orElseThrow()).contains("aviary.outbound.allow");
    assertThat(d.refusal("prometheus.internal", 9090)).isEmpty();
    assertThat(d.refusal("10.0.0.1", 443)).isEmpty();
  }

  @Test
  void everyAddressANameResolvesToMustPass() {
    assertThat(policy(List.of(), List.of(), false).refusal("sneaky.example", 80)).isPresent();
  }

  @Test
  void anAdminAllowsLoopbackButNeverTheControllersOwnPort() {
    Destinations d = policy(List.of("127.0.0.0/8", "::1"), List.of(), false);
    assertThat(d.refusal("127.0.0.1", 9090)).isEmpty();
    assertThat(d.refusal("::1", 9090)).isEmpty();
    assertThat(d.refusal("127.0.0.1", 8080).orElseThrow()).contains("Aviary's own API");
    assertThat(d.refusal("localhost", 8080)).isPresent();
    assertThat(d.refusal("169.254.169.254", 80)).as("still link-local").isPresent();
  }

  @Test
  void theDenyListWinsAndAllowOnlyRefusesTheRest() {
    Destinations d =
        policy(List.of("10.0.0.0/8", "*.svc.cluster.local"), List.of("10.9.0.0/16"), true);
    assertThat(d.refusal("10.1.2.3", 80)).isEmpty();
    assertThat(d.refusal("prometheus.internal", 80)).isEmpty();
    assertThat(d.refusal("10.9.1.1", 80).orElseThrow()).contains("aviary.outbound.deny");
    assertThat(d.refusal("93.184.216.34", 80).orElseThrow()).contains("allow list");
  }

  @Test
  void checkNamesTheDestinationAndTheDefaultPort() {
    OutboundPolicy d = policy(List.of(), List.of(), false);
    assertThatThrownBy(() -> d.check(URI.create("http://169.254.169.254/latest/meta-data")))
        .isInstanceOf(OutboundPolicy.DestinationRefusedException.class)
        .hasMessageContaining("169.254.169.254:80");
    d.check(URI.create("https://prometheus.internal/api/v1/query"));
  }

  @Test
  void aBadRuleIsNamed() {
    assertThatThrownBy(() -> policy(List.of("10.0.0.0/40"), List.of(), false))
        .hasMessageContaining("aviary.outbound.allow")
        .hasMessageContaining("10.0.0.0/40");
    assertThatThrownBy(() -> policy(List.of(), List.of("not a host!"), false))
        .hasMessageContaining("aviary.outbound.deny");
  }
}
