package dev.aviary.controller.platform.outbound;

import dev.aviary.kernel.OutboundPolicy;
import java.net.InetAddress;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The outbound policy from {@code aviary.outbound.*}. */
@Configuration(proxyBeanMethods = false)
class OutboundConfiguration {

  @Bean
  OutboundPolicy outboundPolicy(
      @Value("${aviary.outbound.allow:}") List<String> allow,
      @Value("${aviary.outbound.deny:}") List<String> deny,
      @Value("${aviary.outbound.allow-only:false}") boolean allowOnly,
      Environment environment) {
    return new Destinations(
        allow,
        deny,
        allowOnly,
        // the port the server listens on, once it does (a random one in tests)
        () ->
            environment.getProperty(
                "local.server.port",
                Integer.class,
                environment.getProperty("server.port", Integer.class, 8080)),
        InetAddress::getAllByName);
  }
}
