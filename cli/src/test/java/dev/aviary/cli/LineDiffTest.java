package dev.aviary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The unified diff {@code plan diff} prints. */
class LineDiffTest {

  @Test
  void equalDocumentsHaveNoHunks() {
    assertThat(LineDiff.unified(List.of("a", "b"), List.of("a", "b"))).isEmpty();
  }

  @Test
  void aChangedLineIsShownWithThreeLinesOfContextInTheUnifiedFormat() {
    List<String> a = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9");
    List<String> b = List.of("1", "2", "3", "4", "five", "6", "7", "8", "9");
    assertThat(LineDiff.unified(a, b))
        .containsExactly("@@ -2,7 +2,7 @@", " 2", " 3", " 4", "-5", "+five", " 6", " 7", " 8");
  }

  @Test
  void everythingAddedToNothing() {
    assertThat(LineDiff.unified(List.of(), List.of("{", "}")))
        .containsExactly("@@ -0,0 +1,2 @@", "+{", "+}");
  }

  /**
   * Applying the printed hunks to the old lines gives the new ones, for random edits: the diff is
   * checked by what it does, not by its text.
   */
  @Test
  void applyingTheHunksToTheOldLinesGivesTheNewOnes() {
    SplittableRandom random = new SplittableRandom(7);
    for (int round = 0; round < 500; round++) {
      List<String> a = new ArrayList<>();
      for (int i = random.nextInt(0, 30); i > 0; i--) {
        a.add("line " + random.nextInt(0, 8));
      }
      List<String> b = new ArrayList<>(a);
      for (int e = random.nextInt(0, 6); e > 0; e--) {
        int at = b.isEmpty() ? 0 : random.nextInt(0, b.size());
        switch (random.nextInt(0, 3)) {
          case 0 -> b.add(at, "new " + random.nextInt(0, 8));
          case 1 -> {
            if (!b.isEmpty()) {
              b.remove(at);
            }
          }
          default -> {
            if (!b.isEmpty()) {
              b.set(at, "changed " + random.nextInt(0, 8));
            }
          }
        }
      }
      assertThat(apply(a, LineDiff.unified(a, b)))
          .as("round %d: %s -> %s", round, a, b)
          .isEqualTo(b);
    }
  }

  /** A patch applier for the unified format, written for this test. */
  private static List<String> apply(List<String> a, List<String> hunks) {
    List<String> out = new ArrayList<>();
    int next = 0; // the next line of a not yet copied
    for (int h = 0; h < hunks.size(); ) {
      String header = hunks.get(h++);
      String[] parts = header.split(" ");
      String[] old = parts[1].substring(1).split(",");
      int oldStart = Integer.parseInt(old[0]);
      int oldCount = Integer.parseInt(old[1]);
      int from = oldCount == 0 ? oldStart : oldStart - 1;
      while (next < from) {
        out.add(a.get(next++));
      }
      while (h < hunks.size() && !hunks.get(h).startsWith("@@")) {
        String line = hunks.get(h++);
        char op = line.charAt(0);
        String text = line.substring(1);
        if (op == ' ') {
          assertThat(a.get(next)).isEqualTo(text);
          out.add(text);
          next++;
        } else if (op == '-') {
          assertThat(a.get(next)).isEqualTo(text);
          next++;
        } else {
          out.add(text);
        }
      }
    }
    while (next < a.size()) {
      out.add(a.get(next++));
    }
    return out;
  }
}
