package dev.aviary.analysis.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aviary.analysis.judge.mannwhitney.MannWhitneyOptions;
import dev.aviary.analysis.judge.sequential.SequentialOptions;
import dev.aviary.kernel.SettingViolation;
import dev.aviary.kernel.SettingsReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JudgesTest {

  private final Judges judges = Judges.discover();

  private JudgeOptions read(Map<String, ?> parent, List<SettingViolation> violations) {
    return read(parent, DataShape.SERIES, violations);
  }

  private JudgeOptions read(
      Map<String, ?> parent, DataShape shape, List<SettingViolation> violations) {
    SettingsReader r = new SettingsReader(parent, violations);
    JudgeOptions options = JudgingReader.judge(r, judges, shape, null);
    r.rejectUnknown();
    return options;
  }

  @Test
  void everyRegisteredJudgeIsFoundByItsNameAndWritesItsDefaultsBackUnchanged() {
    assertThat(judges.types()).contains("mann-whitney", "threshold", "sequential");
    for (String type : judges.types()) {
      JudgeFactory factory = judges.find(type).orElseThrow();
      JudgeOptions defaults = factory.defaults();
      assertThat(defaults.type()).isEqualTo(type);
      assertThat(defaults.judge().type()).isEqualTo(type);
      List<SettingViolation> violations = new ArrayList<>();
      JudgeOptions again =
          read(
              Map.of("judge", defaults.toDocument()),
              factory.shapes().iterator().next(),
              violations);
      assertThat(violations).isEmpty();
      assertThat(again).isEqualTo(defaults);
    }
  }

  @Test
  void aPlanWithoutAJudgeGetsTheDefaultForItsDataShape() {
    List<SettingViolation> violations = new ArrayList<>();
    assertThat(read(Map.of(), violations)).isEqualTo(MannWhitneyOptions.DEFAULT);
    assertThat(violations).isEmpty();
  }

  @Test
  void countsAndHistogramsAreJudgedSequentiallyUnlessThePlanSaysOtherwise() {
    List<SettingViolation> violations = new ArrayList<>();
    assertThat(read(Map.of(), DataShape.COUNTS, violations)).isEqualTo(SequentialOptions.DEFAULT);
    assertThat(read(Map.of(), DataShape.HISTOGRAM, violations))
        .isEqualTo(SequentialOptions.DEFAULT);
    read(Map.of("judge", Map.of("type", "mann-whitney")), DataShape.COUNTS, violations);
    assertThat(violations)
        .extracting(SettingViolation::field, SettingViolation::message)
        .singleElement()
        .satisfies(v -> assertThat((String) v.toList().get(1)).contains("not COUNTS"));
    violations.clear();
    read(
        Map.of("judge", Map.of("type", "sequential", "allowedIncrease", 2, "maxIncrease", 1.5)),
        DataShape.COUNTS,
        violations);
    assertThat(violations).extracting(SettingViolation::field).containsExactly("judge.maxIncrease");
  }

  @Test
  void anUnknownJudgeAndItsUnknownOptionsAreNamed() {
    List<SettingViolation> violations = new ArrayList<>();
    read(Map.of("judge", Map.of("type", "oracle")), violations);
    assertThat(violations)
        .extracting(SettingViolation::field, SettingViolation::message)
        .singleElement()
        .satisfies(v -> assertThat(v.toList()).first().isEqualTo("judge.type"))
        .satisfies(v -> assertThat((String) v.toList().get(1)).contains("mann-whitney"));
    violations.clear();
    read(Map.of("judge", Map.of("type", "mann-whitney", "alpha", 0.01)), violations);
    assertThat(violations).extracting(SettingViolation::field).containsExactly("judge.alpha");
  }

  @Test
  void twoJudgesOfOneNameAreRefusedNamingBoth() {
    JudgeFactory one = judges.find("threshold").orElseThrow();
    assertThatThrownBy(() -> new Judges(List.of(one, one)))
        .hasMessageContaining("two judges are named 'threshold'");
  }
}
