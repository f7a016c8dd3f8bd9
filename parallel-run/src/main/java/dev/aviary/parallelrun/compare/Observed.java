package dev.aviary.parallelrun.compare;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** What one side answered a request: a response, or a failure to get one. */
public sealed interface Observed permits Observed.Response, Observed.Failed {

  /**
   * An HTTP response.
   *
   * @param status the status code
   * @param headers header values by lower-case name
   * @param body the body as received (gzip is decoded when compared)
   */
  @SuppressWarnings(
      "ArrayRecordComponent") // the body as received; responses are not compared by equals
  record Response(int status, Map<String, List<String>> headers, byte[] body) implements Observed {
    public Response {
      TreeMap<String, List<String>> lower = new TreeMap<>();
      headers.forEach(
          (k, v) -> lower.merge(k.toLowerCase(Locale.ROOT), List.copyOf(v), Response::concat));
      headers = java.util.Collections.unmodifiableMap(lower);
    }

    private static List<String> concat(List<String> a, List<String> b) {
      java.util.ArrayList<String> all = new java.util.ArrayList<>(a);
      all.addAll(b);
      return List.copyOf(all);
    }

    public String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? "" : v.get(0);
    }
  }

  /**
   * No response: a refused connection, a reset, a timeout.
   *
   * @param reason in words, e.g. {@code timed out after 2s}
   */
  record Failed(String reason) implements Observed {}
}
