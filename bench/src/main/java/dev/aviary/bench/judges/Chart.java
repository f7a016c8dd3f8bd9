package dev.aviary.bench.judges;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark at a glance, as an SVG: for each case a group of bars, one per judge — on the left
 * how often a canary held at 5 % was rolled back within the hour (a healthy one should not be, a
 * regressed one should), on the right how often the gated plan released it.
 */
final class Chart {

  private static final String[] COLOURS = {
    "#9e9e9e", "#e07b39", "#c9a227", "#2e7d32", "#1565c0", "#6a1b9a"
  };
  private static final int LABEL = 230;
  private static final int PANEL = 300;
  private static final int GAP = 40;
  private static final int BAR = 7;

  private Chart() {}

  static String svg(
      List<JudgeBenchmark.Row> errors,
      List<JudgeBenchmark.Contender> errorJudges,
      List<JudgeBenchmark.Row> latency,
      List<JudgeBenchmark.Contender> latencyJudges) {
    List<String> body = new ArrayList<>();
    int y = 40;
    y = section(body, y, "Error rate", errors, errorJudges);
    y = section(body, y + 20, "Latency", latency, latencyJudges);
    int width = LABEL + 2 * PANEL + GAP + 20;
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">\n",
            width,
            y + 20));
    sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    sb.append(
        text(LABEL, 16, "rolled back within 1 h, held at 5 %", "start", true)
            + text(
                LABEL + PANEL + GAP, 16, "released by the gated plan 5 → 25 → 100", "start", true));
    body.forEach(sb::append);
    sb.append("</svg>\n");
    return sb.toString();
  }

  private static int section(
      List<String> out,
      int y,
      String title,
      List<JudgeBenchmark.Row> rows,
      List<JudgeBenchmark.Contender> judges) {
    out.add(text(4, y, title, "start", true));
    y += 8;
    for (int j = 0; j < judges.size(); j++) {
      int x = LABEL + (j % 2) * (PANEL + GAP) / 1;
      int ly = y + (j / 2) * 14;
      out.add(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>\n",
              x,
              ly,
              COLOURS[j % COLOURS.length]));
      out.add(text(x + 14, ly + 9, judges.get(j).name(), "start", false));
    }
    y += ((judges.size() + 1) / 2) * 14 + 10;
    for (JudgeBenchmark.Row r : rows) {
      int groupHeight = judges.size() * (BAR + 1) + 8;
      out.add(text(LABEL - 8, y + groupHeight / 2 + 3, r.world().name(), "end", false));
      for (int panel = 0; panel < 2; panel++) {
        int x0 = LABEL + panel * (PANEL + GAP);
        out.add(
            String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ccc\"/>\n",
                x0,
                y,
                x0,
                y + groupHeight - 6));
        for (int j = 0; j < judges.size(); j++) {
          String name = judges.get(j).name();
          JudgeBenchmark.Figures f = panel == 0 ? r.hold(name) : r.gated(name);
          double v = panel == 0 ? f.rolledBack() : f.promoted();
          int w = (int) Math.round(PANEL * v / 100);
          int by = y + j * (BAR + 1);
          out.add(
              String.format(
                  Locale.ROOT,
                  "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%s: %.1f %%</title></rect>\n",
                  x0,
                  by,
                  Math.max(w, 1),
                  BAR,
                  COLOURS[j % COLOURS.length],
                  escape(judges.get(j).name()),
                  v));
          out.add(
              text(
                  x0 + Math.max(w, 1) + 3,
                  by + BAR,
                  String.format(Locale.ROOT, "%.1f", v),
                  "start",
                  false));
        }
      }
      y += groupHeight;
    }
    return y;
  }

  private static String text(int x, int y, String s, String anchor, boolean bold) {
    return String.format(
        Locale.ROOT,
        "<text x=\"%d\" y=\"%d\" text-anchor=\"%s\"%s>%s</text>\n",
        x,
        y,
        anchor,
        bold ? " font-weight=\"bold\"" : "",
        escape(s));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
