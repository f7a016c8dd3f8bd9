package dev.aviary.parallelrun.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class DifferTest {

  private static Observed.Response json(int status, String body) {
    return new Observed.Response(
        status,
        Map.of("Content-Type", List.of("application/json")),
        body.getBytes(StandardCharsets.UTF_8));
  }

  private final Differ plain = new Differ(CompareOptions.DEFAULT);

  @Test
  void namesTheFieldPathsAndKindsWhereJsonBodiesDiffer() {
    var a =
        json(
            200,
            "{\"price\":{\"amount\":10,\"currency\":\"EUR\"},\"tags\":[1,2],\"id\":\"x\",\"old\":1}");
    var b =
        json(
            200,
            "{\"price\":{\"amount\":11,\"currency\":\"EUR\"},\"tags\":[1,2,3],\"id\":7,\"new\":1}");
    assertThat(plain.diff(a, b))
        .containsExactly(
            "$.id:type", "$.new:extra", "$.old:missing", "$.price.amount", "$.tags:length");
  }

  @Test
  void arrayElementsShareOnePathAndStatusAndErrorsAreTheirOwn() {
    var a = json(200, "{\"items\":[{\"id\":1},{\"id\":2}]}");
    var b = json(500, "{\"items\":[{\"id\":3},{\"id\":4}]}");
    assertThat(plain.diff(a, b)).containsExactly("$.items[*].id", "status");
    assertThat(plain.diff(a, new Observed.Failed("connection refused"))).containsExactly("error");
    assertThat(plain.diff(a, a)).isEmpty();
  }

  @Test
  void numbersAreComparedByValueOrWithinTheTolerance() {
    assertThat(plain.diff(json(200, "{\"a\":1.0}"), json(200, "{\"a\":1}"))).isEmpty();
    assertThat(plain.diff(json(200, "{\"a\":1.0}"), json(200, "{\"a\":1.004}")))
        .containsExactly("$.a");
    Differ tolerant =
        new Differ(new CompareOptions(List.of(), List.of(), 0.01, Set.of(), Set.of(), List.of()));
    assertThat(tolerant.diff(json(200, "{\"a\":1.0}"), json(200, "{\"a\":1.004}"))).isEmpty();
    assertThat(tolerant.diff(json(200, "{\"a\":1.0}"), json(200, "{\"a\":1.02}")))
        .containsExactly("$.a");
  }

  @Test
  void ignoreRulesUnorderedArraysHeadersAndPatternsApply() {
    Differ d =
        new Differ(
            new CompareOptions(
                List.of(PathPattern.of("$..servedAt"), PathPattern.of("$.meta")),
                List.of(PathPattern.of("$.tags")),
                0,
                Set.of("ETag", "X-Version"),
                Set.of("x-version"),
                List.of(Pattern.compile("\\d{4}-\\d{2}-\\d{2}"))));
    var a =
        new Observed.Response(
            200,
            Map.of(
                "Content-Type",
                List.of("application/json"),
                "ETag",
                List.of("1"),
                "X-Version",
                List.of("v1")),
            "{\"tags\":[\"a\",\"b\"],\"x\":{\"servedAt\":1},\"meta\":{\"n\":1},\"msg\":\"on 2026-01-01\"}"
                .getBytes(StandardCharsets.UTF_8));
    var b =
        new Observed.Response(
            200,
            Map.of(
                "content-type",
                List.of("application/json"),
                "etag",
                List.of("2"),
                "x-version",
                List.of("v2")),
            "{\"tags\":[\"b\",\"a\"],\"x\":{\"servedAt\":2},\"meta\":{\"n\":2},\"msg\":\"on 2026-12-01\"}"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(d.diff(a, b)).containsExactly("header:etag");
  }

  @Test
  void textBodiesAreComparedAsTextAndGzipIsDecoded() throws IOException {
    var a =
        new Observed.Response(200, Map.of("Content-Type", List.of("text/plain")), bytes("hello"));
    var b =
        new Observed.Response(200, Map.of("Content-Type", List.of("text/plain")), bytes("hallo"));
    assertThat(plain.diff(a, b)).containsExactly("body");
    var zipped =
        new Observed.Response(
            200,
            Map.of(
                "Content-Type", List.of("application/json"), "Content-Encoding", List.of("gzip")),
            gzip("{\"a\":1}"));
    assertThat(plain.diff(json(200, "{\"a\":1}"), zipped)).isEmpty();
    assertThat(plain.diff(json(200, "{\"a\":1}"), a)).containsExactly("body:type");
  }

  @Test
  void pathPatternsCoverWhatTheyNameAndWhatLiesBeneath() {
    assertThat(PathPattern.of("$.a").covers("$.a")).isTrue();
    assertThat(PathPattern.of("$.a").covers("$.a.b:missing")).isTrue();
    assertThat(PathPattern.of("$.a").covers("$.ab")).isFalse();
    assertThat(PathPattern.of("$.*.id").covers("$.x.id")).isTrue();
    assertThat(PathPattern.of("$.*.id").covers("$.x.y.id")).isFalse();
    assertThat(PathPattern.of("$..id").covers("$.x.y[*].id")).isTrue();
    assertThat(PathPattern.of("$.items[*].id").covers("$.items[*].id")).isTrue();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(String s) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(bytes(s));
    }
    return out.toByteArray();
  }
}
