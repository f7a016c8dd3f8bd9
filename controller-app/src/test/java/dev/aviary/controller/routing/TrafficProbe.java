package dev.aviary.controller.routing;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/** Sends real requests through a router and counts which backend answered (their bodies). */
public final class TrafficProbe {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private TrafficProbe() {}

  /** How many of {@code requests} each backend answered. */
  public static Map<String, Integer> send(String url, int requests) {
    return send(url, requests, Map.of());
  }

  /** How many of {@code requests}, each with {@code headers}, each backend answered. */
  public static Map<String, Integer> send(String url, int requests, Map<String, String> headers) {
    return send(CLIENT, url, requests, headers);
  }

  /** One caller that keeps the cookies it is given, as a browser would. */
  public static final class Caller {
    private final HttpClient browser =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
            .build();

    /** How many of this caller's next {@code requests} each backend answered. */
    public Map<String, Integer> send(String url, int requests) {
      return TrafficProbe.send(browser, url, requests, Map.of());
    }
  }

  private static Map<String, Integer> send(
      HttpClient client, String url, int requests, Map<String, String> headers) {
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < requests; i++) {
      try {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(URI.create(url + "/")).timeout(Duration.ofSeconds(5)).GET();
        headers.forEach(request::header);
        HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        counts.merge(r.statusCode() == 200 ? r.body() : "HTTP " + r.statusCode(), 1, Integer::sum);
      } catch (IOException e) {
        counts.merge("error", 1, Integer::sum);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return counts;
  }

  /** The canary's share, in percent, of {@code requests} requests. */
  public static double canaryShare(String url, int requests) {
    Map<String, Integer> counts = send(url, requests);
    return 100.0 * counts.getOrDefault("canary", 0) / requests;
  }
}
