package dev.aviary.testing;

import dev.aviary.testing.TextHttpServer.Recorded;
import dev.aviary.testing.TextHttpServer.Reply;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for GitHub's REST API for commit statuses, which exists only as a service: a contract
 * server that follows its published reference (docs.github.com, "REST API endpoints for commit
 * statuses", "Create a commit status", API version 2022-11-28): {@code POST
 * /repos/{owner}/{repo}/statuses/{sha}} with {@code Authorization: Bearer <token>} (or {@code token
 * <token>}); 401 {@code Requires authentication} without one, {@code Bad credentials} with a wrong
 * one; 404 {@code Not Found} for another repository; a body with {@code state} (error, failure,
 * pending, success), optional {@code target_url}, {@code description} and {@code context} (default
 * {@code default}); 422 {@code Validation Failed} for a bad state, a description over 140
 * characters or a SHA that is not a commit's; 201 with the status created. The rate limit's headers
 * come on every answer; past it, 403 {@code API rate limit exceeded} with {@code
 * x-ratelimit-remaining: 0}.
 */
public final class GitHubStatusContractServer implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern PATH =
      Pattern.compile("/repos/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)/statuses/([^/]+)");
  private static final Set<String> STATES = Set.of("error", "failure", "pending", "success");

  /** A status as GitHub stores it. */
  public record Status(
      String repository,
      String sha,
      String state,
      String context,
      String description,
      String targetUrl) {}

  private final TextHttpServer http = new TextHttpServer();
  private final String repository;
  private volatile String token;
  private final List<Status> statuses = new CopyOnWriteArrayList<>();
  private final AtomicInteger remaining = new AtomicInteger(5000);
  private final AtomicLong ids = new AtomicLong(1000);

  public GitHubStatusContractServer(String repository, String token) {
    this.repository = repository;
    this.token = token;
    http.otherwise(this::create);
  }

  /** The API's base URL, a plan's {@code apiUrl}. */
  public String url() {
    return "http://127.0.0.1:" + http.port();
  }

  /** The token it takes from now on (as when one is rotated). */
  public void acceptToken(String token) {
    this.token = token;
  }

  /** Requests left in the hour; 0 refuses the next ones as over the rate limit. */
  public void rateLimitRemaining(int n) {
    remaining.set(n);
  }

  /** The statuses created, in order. */
  public List<Status> statuses() {
    return List.copyOf(statuses);
  }

  private Reply create(Recorded r) {
    Matcher m = PATH.matcher(r.path());
    if (!r.method().equals("POST") || !m.matches()) {
      return limited(message(404, "Not Found"));
    }
    String auth = r.header("Authorization");
    if (auth == null) {
      return limited(message(401, "Requires authentication"));
    }
    if (!auth.equals("Bearer " + token) && !auth.equals("token " + token)) {
      return limited(message(401, "Bad credentials"));
    }
    if (remaining.get() <= 0) {
      return message(
              403,
              "API rate limit exceeded for installation. If you reach out to GitHub Support for"
                  + " help, please include the request ID.")
          .withHeader("x-ratelimit-limit", "5000")
          .withHeader("x-ratelimit-remaining", "0")
          .withHeader("x-ratelimit-reset", String.valueOf(Instant.now().getEpochSecond() + 60));
    }
    remaining.decrementAndGet();
    if (!m.group(1).equals(repository)) {
      return limited(message(404, "Not Found"));
    }
    String sha = m.group(2);
    JsonNode body;
    try {
      body = JSON.readTree(r.body());
    } catch (JacksonException e) {
      return limited(message(400, "Problems parsing JSON"));
    }
    String state = body.path("state").asString("");
    String description = body.path("description").asString("");
    if (!STATES.contains(state)) {
      return limited(invalid("state", "state is not included in the list"));
    }
    if (description.length() > 140) {
      return limited(invalid("description", "description is too long (maximum is 140 characters)"));
    }
    if (!sha.matches("[0-9a-f]{40}")) {
      return limited(message(422, "No commit found for SHA: " + sha));
    }
    String context = body.path("context").asString("default");
    String target = body.path("target_url").asString("");
    statuses.add(new Status(m.group(1), sha, state, context, description, target));
    long id = ids.incrementAndGet();
    return limited(
        Reply.json(
            201,
            "{\"id\":"
                + id
                + ",\"url\":\""
                + url()
                + "/repos/"
                + repository
                + "/statuses/"
                + sha
                + "\",\"state\":\""
                + state
                + "\",\"description\":\""
                + Json.escape(description)
                + "\",\"target_url\":\""
                + Json.escape(target)
                + "\",\"context\":\""
                + Json.escape(context)
                + "\",\"created_at\":\""
                + Instant.now()
                + "\"}"));
  }

  private Reply limited(Reply reply) {
    return reply
        .withHeader("x-ratelimit-limit", "5000")
        .withHeader("x-ratelimit-remaining", String.valueOf(Math.max(0, remaining.get())));
  }

  private static Reply message(int status, String message) {
    return Reply.json(
        status,
        "{\"message\":\""
            + Json.escape(message)
            + "\",\"documentation_url\":\"https://docs.github.com/rest/commits/statuses#create-a-commit-status\"}");
  }

  private static Reply invalid(String field, String message) {
    return Reply.json(
        422,
        "{\"message\":\"Validation Failed\",\"errors\":[{\"resource\":\"Status\",\"code\":\"custom\",\"field\":\""
            + field
            + "\",\"message\":\""
            + Json.escape(message)
            + "\"}],\"documentation_url\":\"https://docs.github.com/rest/commits/statuses#create-a-commit-status\"}");
  }

  @Override
  public void close() {
    http.close();
  }
}
