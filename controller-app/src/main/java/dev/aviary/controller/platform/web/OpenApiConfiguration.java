package dev.aviary.controller.platform.web;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.Comparator;
import java.util.Map;
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

  /**
   * Every operation's errors: a problem document for any status the operation does not describe
   * itself (400 for a bad request, 401 without credentials, 403 for a role that may not, 404, 409,
   * 412, 429, 500), under the {@code Problem} schema.
   */
  @Bean
  @SuppressWarnings("rawtypes") // swagger-core's ModelConverters answers raw Schema maps
  OpenApiCustomizer problemResponses() {
    return openApi -> {
      Map<String, Schema> schemas =
          ModelConverters.getInstance().readAll(new AnnotatedType(ProblemDocument.class));
      schemas.forEach(openApi.getComponents()::addSchemas);
      Content problem =
          new Content()
              .addMediaType(
                  "application/problem+json",
                  new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")));
      openApi
          .getPaths()
          .values()
          .forEach(
              path ->
                  path.readOperations()
                      .forEach(
                          op ->
                              op.getResponses()
                                  .addApiResponse(
                                      "default",
                                      new ApiResponse()
                                          .description(
                                              "An RFC 9457 problem document: 400 invalid request,"
                                                  + " 401 no or bad credentials, 403 not allowed"
                                                  + " for the caller's role, 404, 409 conflict,"
                                                  + " 412 stale revision, 429 rate limited, 500")
                                          .content(problem))));
    };
  }
}
