package dev.aviary.controller.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseWindowTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static final ReleaseWindow OFFICE_HOURS =
      new ReleaseWindow(
          EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.THURSDAY),
          LocalTime.of(9, 0),
          LocalTime.of(16, 0),
          BERLIN);

  @Test
  void aWindowIsOpenOnItsDaysBetweenItsTimesInItsZone() {
    // 2026-12-02 is a Wednesday; Berlin is UTC+1 in winter
    assertThat(OFFICE_HOURS.contains(Instant.parse("2026-12-02T08:00:00Z"))).isTrue();
    assertThat(OFFICE_HOURS.contains(Instant.parse("2026-12-02T07:59:59Z"))).isFalse();
    assertThat(OFFICE_HOURS.contains(Instant.parse("2026-12-02T14:59:59Z"))).isTrue();
    assertThat(OFFICE_HOURS.contains(Instant.parse("2026-12-02T15:00:00Z")))
        .as("to is the first closed instant")
        .isFalse();
    assertThat(OFFICE_HOURS.contains(Instant.parse("2026-12-04T10:00:00Z")))
        .as("a Friday")
        .isFalse();
    // summer time: UTC+2
    assertThat(OFFICE_HOURS.contains(Instant.parse("2026-07-01T07:30:00Z"))).isTrue();
    assertThat(OFFICE_HOURS.contains(Instant.parse("2026-07-01T06:30:00Z"))).isFalse();
  }

  @Test
  void aWindowPastMidnightStaysOpenIntoTheNextDay() {
    ReleaseWindow night =
        new ReleaseWindow(
            EnumSet.of(DayOfWeek.FRIDAY),
            LocalTime.of(22, 0),
            LocalTime.of(2, 0),
            ZoneId.of("UTC"));
    assertThat(night.contains(Instant.parse("2026-12-04T23:00:00Z"))).isTrue(); // Friday night
    assertThat(night.contains(Instant.parse("2026-12-05T01:59:00Z"))).isTrue(); // Saturday early
    assertThat(night.contains(Instant.parse("2026-12-05T02:00:00Z"))).isFalse();
    assertThat(night.contains(Instant.parse("2026-12-04T01:00:00Z")))
        .as("Friday early belongs to Thursday's window, which there is none of")
        .isFalse();
  }

  @Test
  void theReasonNamesTheWindowsAndWhenTheNextOpens() {
    assertThat(
            ReleaseWindow.closedReason(
                List.of(OFFICE_HOURS), Instant.parse("2026-12-03T16:30:00Z"))) // Thursday 17:30
        .hasValue(
            "outside the plan's release windows (mon-thu 09:00-16:00 Europe/Berlin); the next"
                + " opens at 2026-12-07T08:00:00Z");
    assertThat(
            ReleaseWindow.closedReason(
                List.of(OFFICE_HOURS), Instant.parse("2026-12-03T09:00:00Z")))
        .isEmpty();
    assertThat(ReleaseWindow.closedReason(List.of(), Instant.parse("2026-12-05T09:00:00Z")))
        .as("no windows: always open")
        .isEmpty();
  }

  @Test
  void dayRunsAreWrittenCompactly() {
    assertThat(
            ReleaseWindow.dayRuns(
                EnumSet.of(
                    DayOfWeek.MONDAY,
                    DayOfWeek.TUESDAY,
                    DayOfWeek.WEDNESDAY,
                    DayOfWeek.FRIDAY,
                    DayOfWeek.SUNDAY)))
        .containsExactly("mon-wed", "fri", "sun");
  }
}
