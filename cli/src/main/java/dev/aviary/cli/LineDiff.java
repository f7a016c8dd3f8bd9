package dev.aviary.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A line diff in the unified format ({@code @@ -a,n +b,m @@}, lines prefixed with space, {@code -}
 * or {@code +}, three lines of context), from a longest common subsequence: plans are a few hundred
 * lines at most, so the quadratic table is small.
 */
final class LineDiff {

  private static final int CONTEXT = 3;

  private LineDiff() {}

  /** The hunks that turn {@code a} into {@code b}; empty when they are equal. */
  static List<String> unified(List<String> a, List<String> b) {
    int n = a.size();
    int m = b.size();
    int[][] lcs = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        lcs[i][j] =
            a.get(i).equals(b.get(j))
                ? lcs[i + 1][j + 1] + 1
                : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    // the edit script: ' ' kept, '-' only in a, '+' only in b, with each line's positions
    List<char[]> ops = new ArrayList<>();
    List<int[]> at = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a.get(i).equals(b.get(j))) {
        ops.add(new char[] {' '});
        at.add(new int[] {i++, j++});
      } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        ops.add(new char[] {'-'}); // removals before additions, as diff prints them
        at.add(new int[] {i++, j});
      } else {
        ops.add(new char[] {'+'});
        at.add(new int[] {i, j++});
      }
    }
    List<String> out = new ArrayList<>();
    int k = 0;
    while (k < ops.size()) {
      if (ops.get(k)[0] == ' ') {
        k++;
        continue;
      }
      // a hunk: from CONTEXT lines before this change to CONTEXT lines after the last change
      // that is at most 2 * CONTEXT kept lines away
      int start = Math.max(0, k - CONTEXT);
      int end = k;
      int kept = 0;
      for (int x = k; x < ops.size(); x++) {
        if (ops.get(x)[0] == ' ') {
          kept++;
          if (kept > 2 * CONTEXT) {
            break;
          }
        } else {
          kept = 0;
          end = x;
        }
      }
      int stop = Math.min(ops.size(), end + 1 + CONTEXT);
      int aStart = at.get(start)[0];
      int bStart = at.get(start)[1];
      int aCount = 0;
      int bCount = 0;
      List<String> body = new ArrayList<>();
      for (int x = start; x < stop; x++) {
        char op = ops.get(x)[0];
        int[] pos = at.get(x);
        if (op == ' ') {
          body.add(" " + a.get(pos[0]));
          aCount++;
          bCount++;
        } else if (op == '-') {
          body.add("-" + a.get(pos[0]));
          aCount++;
        } else {
          body.add("+" + b.get(pos[1]));
          bCount++;
        }
      }
      out.add(
          "@@ -"
              + (aCount == 0 ? aStart : aStart + 1)
              + ","
              + aCount
              + " +"
              + (bCount == 0 ? bStart : bStart + 1)
              + ","
              + bCount
              + " @@");
      out.addAll(body);
      k = stop;
    }
    return out;
  }
}
