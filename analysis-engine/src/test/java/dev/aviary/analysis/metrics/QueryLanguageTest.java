package dev.aviary.analysis.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aviary.analysis.FatalAnalysisException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Values a pipeline token passes when it starts a rollout are data: whatever they hold, the query
 * or URL keeps its meaning. The hostile values are the ones that got a canary with 50 % errors
 * promoted and reached other endpoints of a metric host before escaping.
 */
class QueryLanguageTest {

  private static String promql(String template, String version) {
    return QueryTemplate.render(template, Map.of("version", version), QueryLanguage.PROMQL);
  }

  @Test
  void aPromqlLabelValueCannotCloseItsString() {
    String hostile = "2.0\"}) * 0 or max(http_errors_ratio{version=\"none";
    String rendered = promql("sum(rate(errors{version=\"${version}\"}[1m]))", hostile);
    assertThat(rendered)
        .isEqualTo(
            "sum(rate(errors{version=\"2.0\\\"}) * 0 or max(http_errors_ratio{version=\\\"none\"}[1m]))");
    // one string literal from the first quote to the last: the query's structure is unchanged
    assertThat(rendered.replace("\\\"", "")).containsOnlyOnce("\"}[1m]");
  }

  @Test
  void aRegexMatcherMatchesTheValueItselfOnly() {
    assertThat(promql("x{version=~\"${version}\"}", ".*")).isEqualTo("x{version=~\"\\\\.\\\\*\"}");
    assertThat(promql("x{version !~ '${version}'}", "1.4")).isEqualTo("x{version !~ '1\\\\.4'}");
    assertThat(promql("x{version=\"${version}\"}", "1.4")).isEqualTo("x{version=\"1.4\"}");
  }

  @Test
  void singleQuotesAndRawStringsAreStringsToo() {
    assertThat(promql("x{v='${version}'}", "a'b")).isEqualTo("x{v='a\\'b'}");
    assertThat(promql("x{v=`${version}`}", "a\"b")).isEqualTo("x{v=`a\"b`}");
    assertThatThrownBy(() -> promql("x{v=`${version}`}", "a`b"))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("${version}");
  }

  @Test
  void outsideQuotesOnlyPlainWordsPass() {
    assertThat(promql("rate(x[${version}])", "30s")).isEqualTo("rate(x[30s])");
    assertThatThrownBy(() -> promql("rate(x[${version}])", "1m]) or vector(1"))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("${version}")
        .hasMessageContaining("outside a quoted string");
  }

  @Test
  void aQuoteEscapedInTheTemplateDoesNotEndItsString() {
    assertThat(promql("x{a=\"q\\\"${version}\"}", "\"")).isEqualTo("x{a=\"q\\\"\\\"\"}");
  }

  @Test
  void controlCharactersAreEscaped() {
    assertThat(promql("x{v=\"${version}\"}", "a\nb\u0000")).isEqualTo("x{v=\"a\\nb\\u0000\"}");
  }

  @Test
  void urlValuesArePercentEncodedAndNeverReachTheHost() {
    Map<String, String> v = Map.of("version", "../../admin/tokens?x=1#");
    assertThat(
            QueryTemplate.render(
                "https://metrics.example/api/${version}/errors?v=${version}", v, QueryLanguage.URL))
        .isEqualTo(
            "https://metrics.example/api/..%2F..%2Fadmin%2Ftokens%3Fx%3D1%23/errors?v=..%2F..%2Fadmin%2Ftokens%3Fx%3D1%23");
    assertThatThrownBy(
            () ->
                QueryTemplate.render(
                    "https://${version}.example/x", Map.of("version", "a"), QueryLanguage.URL))
        .hasMessageContaining("host");
    assertThatThrownBy(
            () ->
                QueryTemplate.render(
                    "https://m.example/a/${version}/b", Map.of("version", ".."), QueryLanguage.URL))
        .hasMessageContaining("relative path segment");
    assertThat(
            QueryTemplate.render(
                "https://m.example/q?v=${version}", Map.of("version", "é 1"), QueryLanguage.URL))
        .isEqualTo("https://m.example/q?v=%C3%A9%201");
  }

  @Test
  void jsonValuesStayInsideTheirString() {
    Map<String, String> v = Map.of("version", "1\", \"admin\": true, \"x\": \"");
    assertThat(QueryTemplate.render("{\"version\": \"${version}\"}", v, QueryLanguage.JSON))
        .isEqualTo("{\"version\": \"1\\\", \\\"admin\\\": true, \\\"x\\\": \\\"\"}");
    assertThat(
            QueryTemplate.render(
                "{\"n\": ${version}}", Map.of("version", "42"), QueryLanguage.JSON))
        .isEqualTo("{\"n\": 42}");
    assertThatThrownBy(() -> QueryTemplate.render("{\"n\": ${version}}", v, QueryLanguage.JSON))
        .hasMessageContaining("outside a JSON string");
  }

  private static String render(String template, String value, QueryLanguage language) {
    return QueryTemplate.render(template, Map.of("v", value), language);
  }

  @Test
  void eachLanguageKeepsAValueInsideItsString() {
    assertThat(render("WHERE appVersion = '${v}'", "x' OR appVersion = 'y", QueryLanguage.NRQL))
        .isEqualTo("WHERE appVersion = 'x\\' OR appVersion = \\'y'");
    assertThat(render("WHERE \"version\" = '${v}'", "a\\'b", QueryLanguage.INFLUXQL))
        .isEqualTo("WHERE \"version\" = 'a\\\\\\'b'");
    assertThat(render("r.version == \"${v}\"", "a\"b${x}", QueryLanguage.FLUX))
        .isEqualTo("r.version == \"a\\\"b\\${x}\"");
    assertThat(render("{app=\"x\"} |~ \"${v}\"", "a.b|c", QueryLanguage.LOGQL))
        .isEqualTo("{app=\"x\"} |~ \"a\\\\.b\\\\|c\"");
    assertThat(render("{\"Version\": \"${v}\"}", "a\" b", QueryLanguage.FIELD))
        .isEqualTo("{\"Version\": \"a\" b\"}");
  }

  @Test
  void whereNoQuotingMakesAValueDataOnlyPlainWordsPass() {
    assertThat(render("avg:m{version:${v}}", "1.4.2", QueryLanguage.WORDS))
        .isEqualTo("avg:m{version:1.4.2}");
    assertThatThrownBy(() -> render("avg:m{version:${v}}", "v9,version:v2", QueryLanguage.WORDS))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("${v}");
    assertThatThrownBy(() -> render("SINCE ${v}", "1 day ago", QueryLanguage.NRQL))
        .isInstanceOf(FatalAnalysisException.class);
    assertThat(render("app.${v}.errors", "v2", QueryLanguage.GRAPHITE)).isEqualTo("app.v2.errors");
    assertThatThrownBy(() -> render("app.${v}.errors", "v2.x", QueryLanguage.GRAPHITE))
        .isInstanceOf(FatalAnalysisException.class)
        .hasMessageContaining("a dot adds a path segment");
    assertThatThrownBy(() -> render("app.${v}.errors", "*", QueryLanguage.GRAPHITE))
        .isInstanceOf(FatalAnalysisException.class);
    assertThat(render("seriesByTag('version=${v}')", "1.4.2", QueryLanguage.GRAPHITE))
        .isEqualTo("seriesByTag('version=1.4.2')");
    assertThatThrownBy(
            () -> render("seriesByTag('version=${v}')", "x','name=y", QueryLanguage.GRAPHITE))
        .isInstanceOf(FatalAnalysisException.class);
  }

  @Test
  void anyOfMatchesEachNameItselfOnlyAndStaysInItsString() {
    String inQuotes = QueryLanguage.promqlAnyOf(java.util.List.of("v2.a", "[::1]:80", "a\"b"));
    assertThat(inQuotes).isEqualTo("v2\\\\.a|\\\\[::1\\\\]:80|a\\\"b");
    // the string PromQL reads, then the regular expression it compiles
    String regex = inQuotes.replace("\\\"", "\"").replace("\\\\", "\\");
    java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
    assertThat(p.matcher("v2.a").matches()).isTrue();
    assertThat(p.matcher("v2xa").matches()).isFalse();
    assertThat(p.matcher("[::1]:80").matches()).isTrue();
    assertThat(p.matcher("a\"b").matches()).isTrue();
  }
}
