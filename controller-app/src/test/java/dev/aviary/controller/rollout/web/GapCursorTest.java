package dev.aviary.controller.rollout.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The live list's place in the event log, when commits make ids visible out of order. */
class GapCursorTest {

  private static final Instant T0 = Instant.parse("2026-12-02T00:00:00Z");
  private final GapCursor cursor = new GapCursor(Duration.ofSeconds(10));

  /** Reads what a query {@code id > position} would answer from {@code visible}. */
  private List<Long> read(TreeSet<Long> visible, Instant now) {
    List<Long> delivered = new ArrayList<>();
    for (long id : visible.tailSet(cursor.position(), false)) {
      if (cursor.offer(id)) {
        delivered.add(id);
      }
    }
    cursor.advance(now);
    return delivered;
  }

  @Test
  void anIdCommittedLateIsDeliveredOnceAndNothingTwice() {
    cursor.start(2);
    TreeSet<Long> visible = new TreeSet<>(List.of(1L, 2L, 4L, 5L)); // 3 not committed yet
    assertThat(read(visible, T0)).containsExactly(4L, 5L);
    assertThat(cursor.position()).isEqualTo(2); // held back by the missing 3
    assertThat(read(visible, T0.plusSeconds(1))).isEmpty(); // 4 and 5 read again, not re-sent
    visible.add(3L);
    assertThat(read(visible, T0.plusSeconds(2))).containsExactly(3L);
    assertThat(cursor.position()).isEqualTo(5);
    visible.add(6L);
    assertThat(read(visible, T0.plusSeconds(3))).containsExactly(6L);
  }

  @Test
  void anIdThatNeverAppearsIsPassedAfterThePatienceAndNotBefore() {
    cursor.start(0);
    TreeSet<Long> visible = new TreeSet<>(List.of(2L, 3L)); // 1 was rolled back
    assertThat(read(visible, T0)).containsExactly(2L, 3L);
    assertThat(read(visible, T0.plusSeconds(9))).isEmpty();
    assertThat(cursor.position()).isZero();
    assertThat(read(visible, T0.plusSeconds(10))).isEmpty();
    assertThat(cursor.position()).isEqualTo(3);
  }

  @Test
  void withNothingAboveItTheCursorWaitsWithoutGivingUpAnId() {
    cursor.start(7);
    assertThat(read(new TreeSet<>(List.of(1L, 7L)), T0.plusSeconds(60))).isEmpty();
    assertThat(cursor.position()).isEqualTo(7);
    cursor.reset();
    assertThat(cursor.started()).isFalse();
  }
}
