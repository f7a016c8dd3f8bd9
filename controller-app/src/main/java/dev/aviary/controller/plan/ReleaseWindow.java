package dev.aviary.controller.plan;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * When a plan's rollouts may raise traffic: on {@code days}, from {@code from} until {@code to},
 * local time in {@code zone}. A window whose {@code to} is not after its {@code from} runs past
 * midnight into the next day (a window that opens on Friday 22:00 and closes 02:00 is open early on
 * Saturday too).
 *
 * @param days the days a window opens on
 * @param from when it opens, local time
 * @param to when it closes, local time
 * @param zone the time zone of {@code from} and {@code to}
 */
public record ReleaseWindow(Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone) {

  public ReleaseWindow {
    days = days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
    if (days.isEmpty()) {
      throw new IllegalArgumentException("a window opens on at least one day");
    }
  }

  private boolean overnight() {
    return !to.isAfter(from);
  }

  /** Whether the window is open at {@code at}. */
  public boolean contains(Instant at) {
    ZonedDateTime local = at.atZone(zone);
    LocalTime time = local.toLocalTime();
    DayOfWeek day = local.getDayOfWeek();
    if (!overnight()) {
      return days.contains(day) && !time.isBefore(from) && time.isBefore(to);
    }
    return (days.contains(day) && !time.isBefore(from))
        || (days.contains(day.minus(1)) && time.isBefore(to));
  }

  /** When the window next opens after {@code at}. */
  public Instant nextOpening(Instant at) {
    LocalDate date = at.atZone(zone).toLocalDate();
    for (int d = 0; d <= 8; d++) {
      LocalDate candidate = date.plusDays(d);
      if (days.contains(candidate.getDayOfWeek())) {
        Instant opens = ZonedDateTime.of(candidate, from, zone).toInstant();
        if (opens.isAfter(at)) {
          return opens;
        }
      }
    }
    throw new IllegalStateException("a window with days opens within a week");
  }

  /** The window as people read it: {@code mon-fri 09:00-17:00 Europe/Berlin}. */
  public String describe() {
    return daysText() + " " + from + "-" + to + " " + zone.getId();
  }

  /** The days, runs of neighbours as ranges: {@code mon-fri,sun}. */
  public String daysText() {
    return String.join(",", dayRuns(days));
  }

  static List<String> dayRuns(Set<DayOfWeek> days) {
    List<String> runs = new ArrayList<>();
    DayOfWeek[] all = DayOfWeek.values();
    int i = 0;
    while (i < all.length) {
      if (!days.contains(all[i])) {
        i++;
        continue;
      }
      int j = i;
      while (j + 1 < all.length && days.contains(all[j + 1])) {
        j++;
      }
      runs.add(j == i ? name(all[i]) : name(all[i]) + "-" + name(all[j]));
      i = j + 1;
    }
    return runs;
  }

  static String name(DayOfWeek d) {
    return d.name().substring(0, 3).toLowerCase(Locale.ROOT);
  }

  /**
   * Why traffic may not rise at {@code at} under {@code windows}: empty when one is open (or there
   * are none, which means always).
   */
  public static Optional<String> closedReason(List<ReleaseWindow> windows, Instant at) {
    if (windows.isEmpty() || windows.stream().anyMatch(w -> w.contains(at))) {
      return Optional.empty();
    }
    Instant next = windows.stream().map(w -> w.nextOpening(at)).min(Instant::compareTo).get();
    return Optional.of(
        "outside the plan's release windows ("
            + String.join("; ", windows.stream().map(ReleaseWindow::describe).toList())
            + "); the next opens at "
            + next);
  }
}
