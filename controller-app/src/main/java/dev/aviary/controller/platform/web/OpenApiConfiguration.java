package dev.aviary.controller.platform.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.Comparator;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document's header: what the API is, and that every call carries a bearer token (so
 * that Swagger UI offers "Authorize"). Tags are sorted, so the document is the same on every start
 * (docs/openapi.json is compared with it).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  @Bean
  OpenAPI aviaryOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Aviary API")
                .version("v1")
                .description(
                    "Rollout plans, rollouts and their controls, judgements, tokens. Every /api call"
                        + " needs Authorization: Bearer <token> (an Aviary API token or an OIDC"
                        + " JWT); see docs/security.md. Errors are RFC 9457 problem documents."))
        .components(
            new Components()
                .addSecuritySchemes(
                    "bearer",
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .description("An Aviary API token (avy_...) or an OIDC access token")))
        .addSecurityItem(new SecurityRequirement().addList("bearer"));
  }

  @Bean
  OpenApiCustomizer sortedTags() {
    return openApi -> {
      if (openApi.getTags() != null) {
        openApi.getTags().sort(Comparator.comparing(Tag::getName));
      }
    };
  }
}
