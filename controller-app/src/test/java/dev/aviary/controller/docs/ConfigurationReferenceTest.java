package dev.aviary.controller.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md names every {@code aviary.*} property the controller reads (from its
 * {@code @Value} placeholders and application.yml) and every {@code AVIARY_*} variable
 * application.yml maps, so that the reference cannot fall behind the code.
 */
class ConfigurationReferenceTest {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{(aviary\\.[a-z0-9.-]+)");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(AVIARY_[A-Z_]+)");

  @Test
  void everyPropertyAndVariableTheControllerReadsIsDocumented() throws IOException {
    Set<String> properties = new TreeSet<>();
    Set<String> variables = new TreeSet<>();
    try (Stream<Path> sources = Files.walk(Path.of("src", "main"))) {
      for (Path p : sources.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(p);
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
          properties.add(m.group(1));
        }
        Matcher v = VARIABLE.matcher(text);
        while (v.find()) {
          variables.add(v.group(1));
        }
      }
    }
    assertThat(properties).hasSizeGreaterThan(20);
    assertThat(variables).contains("AVIARY_PORT", "AVIARY_ENCRYPTION_KEY");
    String reference = Files.readString(Path.of("..", "docs", "configuration.md"));
    assertThat(properties)
        .allSatisfy(p -> assertThat(reference).as("docs/configuration.md names " + p).contains(p));
    assertThat(variables)
        .allSatisfy(v -> assertThat(reference).as("docs/configuration.md names " + v).contains(v));
  }
}
