package dev.aviary.controller.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aviary.controller.routing.RouterCapability;
import dev.aviary.controller.routing.TrafficRouters;
import dev.aviary.controller.support.Api;
import dev.aviary.controller.support.AviaryIntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every plan the documentation shows (a code block opened with {@code ```json plan}) is posted to
 * the controller and must be accepted as written; only its name is made unique here. Metric
 * templates it shows ({@code ```json template}) are stored first, under their own names, since
 * plans name them.
 */
@AviaryIntegrationTest
class DocsExamplesIT {

  private static final Pattern PLAN_BLOCK =
      Pattern.compile("```json plan\\n(.*?)\\n```", Pattern.DOTALL);
  private static final Pattern TEMPLATE_BLOCK =
      Pattern.compile("```json template\\n(.*?)\\n```", Pattern.DOTALL);
  private static final List<String> PAGES =
      List.of(
          "plans.md",
          "getting-started.md",
          "ci-integration.md",
          "parallel-run.md",
          "providers.md",
          "notifications.md",
          "routers.md");

  @LocalServerPort int port;

  @Autowired TrafficRouters routers;

  /**
   * The capability matrix in docs/routers.md: one row per router type this controller registers,
   * one column per capability, a mark exactly where the adapter declares it.
   */
  @Test
  void theCapabilityMatrixInTheDocsIsWhatEachRouterDeclares() throws Exception {
    String page = Files.readString(Path.of("..", "docs", "routers.md"));
    int at = page.indexOf("<!-- capability-matrix");
    assertThat(at).as("the matrix's marker").isNotNegative();
    List<String> lines =
        page.substring(at).lines().skip(1).takeWhile(l -> l.startsWith("|")).toList();
    List<String> header = cells(lines.get(0));
    assertThat(header.subList(1, header.size()))
        .as("one column per capability, in the enum's order")
        .containsExactlyElementsOf(
            Arrays.stream(RouterCapability.values()).map(RouterCapability::words).toList());
    Map<String, Set<RouterCapability>> documented = new TreeMap<>();
    for (String row : lines.subList(2, lines.size())) {
      List<String> c = cells(row);
      Set<RouterCapability> marked = EnumSet.noneOf(RouterCapability.class);
      for (int i = 1; i < c.size(); i++) {
        assertThat(c.get(i)).as(row).isIn("✓", "—");
        if (c.get(i).equals("✓")) {
          marked.add(RouterCapability.values()[i - 1]);
        }
      }
      documented.put(c.get(0).replace("`", ""), marked);
    }
    Map<String, Set<RouterCapability>> declared = new TreeMap<>();
    for (String type : routers.types()) {
      declared.put(type, EnumSet.copyOf(routers.find(type).orElseThrow().capabilities()));
    }
    assertThat(documented).isEqualTo(declared);
  }

  private static List<String> cells(String row) {
    String inner = row.strip().substring(1, row.strip().length() - 1);
    return Arrays.stream(inner.split("\\|", -1)).map(String::strip).toList();
  }

  @TestFactory
  Stream<DynamicTest> everyDocumentedPlanIsAccepted() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    JsonMapper json = JsonMapper.builder().build();
    for (String page : PAGES) {
      Path file = Path.of("..", "docs", page);
      if (!Files.exists(file)) {
        continue;
      }
      Matcher t = TEMPLATE_BLOCK.matcher(Files.readString(file));
      int n = 0;
      while (t.find()) {
        String block = t.group(1);
        int index = ++n;
        tests.add(
            DynamicTest.dynamicTest(
                page + " metric template #" + index,
                () -> {
                  Map<String, Object> template = json.readValue(block, new TypeReference<>() {});
                  Api.Response r = new Api(port).post("/api/v1/metric-templates", template);
                  assertThat(r.status())
                      .as(page + " metric template #" + index + ": " + r.text())
                      .isEqualTo(201);
                }));
      }
    }
    for (String page : PAGES) {
      Path file = Path.of("..", "docs", page);
      if (!Files.exists(file)) {
        continue;
      }
      Matcher m = PLAN_BLOCK.matcher(Files.readString(file));
      int n = 0;
      while (m.find()) {
        String block = m.group(1);
        int index = ++n;
        tests.add(
            DynamicTest.dynamicTest(
                page + " plan #" + index,
                () -> {
                  Map<String, Object> plan = json.readValue(block, new TypeReference<>() {});
                  plan.put("name", "docs-" + page.replace(".md", "") + "-" + index);
                  Api.Response r = new Api(port).post("/api/v1/plans", plan);
                  assertThat(r.status())
                      .as(page + " plan #" + index + ": " + r.text())
                      .isEqualTo(201);
                }));
      }
    }
    assertThat(tests).as("plans found in the docs").hasSizeGreaterThanOrEqualTo(5);
    return tests.stream();
  }
}
