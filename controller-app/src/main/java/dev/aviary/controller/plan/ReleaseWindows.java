package dev.aviary.controller.plan;

import dev.aviary.kernel.SettingsReader;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads a plan's {@code windows}: {@code [{"days": ["mon-fri"], "from": "09:00", "to": "17:00",
 * "timeZone": "Europe/Berlin"}]}.
 */
final class ReleaseWindows {

  private static final Pattern DAYS =
      Pattern.compile("(mon|tue|wed|thu|fri|sat|sun)(?:-(mon|tue|wed|thu|fri|sat|sun))?");
  private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");
  static final int MAX_WINDOWS = 20;

  private ReleaseWindows() {}

  static List<ReleaseWindow> read(SettingsReader plan) {
    List<ReleaseWindow> windows = new ArrayList<>();
    if (!plan.has("windows")) {
      return windows;
    }
    List<SettingsReader> listed = plan.objects("windows");
    if (listed.size() > MAX_WINDOWS) {
      plan.violation("windows", "must not hold more than " + MAX_WINDOWS + " windows");
    }
    for (SettingsReader w : listed) {
      Set<DayOfWeek> days = days(w);
      LocalTime from = time(w, "from");
      LocalTime to = time(w, "to");
      ZoneId zone = zone(w);
      w.rejectUnknown();
      if (from != null && from.equals(to)) {
        w.violation("to", "must differ from from (a window open all day: from 00:00 to 23:59)");
      } else if (from != null && to != null && days != null && zone != null) {
        windows.add(new ReleaseWindow(days, from, to, zone));
      }
    }
    return windows;
  }

  private static @Nullable Set<DayOfWeek> days(SettingsReader w) {
    if (!w.has("days")) {
      return EnumSet.allOf(DayOfWeek.class);
    }
    List<Object> listed = w.list("days");
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    boolean valid = !listed.isEmpty() || !(w.raw().get("days") instanceof List<?>);
    if (!valid) {
      w.violation("days", "must name at least one day, such as [\"mon-fri\"]");
    }
    for (int i = 0; i < listed.size(); i++) {
      Matcher m =
          listed.get(i) instanceof String s
              ? DAYS.matcher(s.toLowerCase(Locale.ROOT))
              : DAYS.matcher("");
      if (!m.matches()) {
        w.violation(
            "days[" + i + "]",
            "must be a day (mon, tue, wed, thu, fri, sat, sun) or a range such as mon-fri, was "
                + listed.get(i));
        valid = false;
        continue;
      }
      DayOfWeek first = day(m.group(1));
      DayOfWeek last = m.group(2) == null ? first : day(m.group(2));
      for (DayOfWeek d = first; ; d = d.plus(1)) {
        days.add(d);
        if (d == last) {
          break; // a range may wrap: fri-mon is fri, sat, sun, mon
        }
      }
    }
    return valid ? days : null;
  }

  private static DayOfWeek day(String abbreviation) {
    for (DayOfWeek d : DayOfWeek.values()) {
      if (ReleaseWindow.name(d).equals(abbreviation)) {
        return d;
      }
    }
    throw new IllegalArgumentException(abbreviation);
  }

  private static @Nullable LocalTime time(SettingsReader w, String key) {
    Optional<String> text = w.string(key);
    if (text.isEmpty()) {
      if (!w.has(key)) {
        w.violation(key, "is required: a local time such as \"09:00\"");
      }
      return null;
    }
    if (!TIME.matcher(text.get()).matches()) {
      w.violation(key, "must be a local time HH:mm such as \"09:00\", was " + text.get());
      return null;
    }
    try {
      return LocalTime.parse(text.get());
    } catch (DateTimeParseException e) {
      w.violation(key, "must be a local time HH:mm such as \"09:00\", was " + text.get());
      return null;
    }
  }

  private static @Nullable ZoneId zone(SettingsReader w) {
    Optional<String> id = w.string("timeZone");
    if (id.isEmpty()) {
      return w.has("timeZone") ? null : ZoneId.of("UTC");
    }
    try {
      return ZoneId.of(id.get());
    } catch (DateTimeException e) {
      w.violation(
          "timeZone", "must be an IANA time zone such as Europe/Berlin or UTC, was " + id.get());
      return null;
    }
  }
}
