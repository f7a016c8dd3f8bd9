package dev.aviary.controller.notify;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A delivery's event document, read back from the outbox, with the words every channel uses: a
 * headline ("payments-api 2.4.1 rolled back at 25 %"), the reason, and the facts beside them.
 */
record Notice(Map<String, Object> document) {

  Notice {
    document = new LinkedHashMap<>(document);
  }

  String event() {
    String e = text("event");
    return e.startsWith("rollout.") ? e.substring("rollout.".length()) : e;
  }

  String plan() {
    return text("plan");
  }

  String rollout() {
    return text("rollout");
  }

  String id() {
    return text("id");
  }

  String reason() {
    return text("reason");
  }

  int weight() {
    return document.get("weight") instanceof Number n ? n.intValue() : 0;
  }

  @Nullable String version() {
    return document.get("canary") instanceof Map<?, ?> canary && canary.get("version") != null
        ? String.valueOf(canary.get("version"))
        : null;
  }

  /**
   * What a channel's {@code ${variables}} read: the release's metadata (its {@code commit}, say),
   * then the canary's scope (its version and variables), which wins.
   */
  Map<String, String> variables() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : new String[] {"metadata", "canary"}) {
      if (document.get(part) instanceof Map<?, ?> values) {
        values.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
      }
    }
    return out;
  }

  @Nullable String link() {
    Object l = document.get("link");
    return l == null ? null : String.valueOf(l);
  }

  private String text(String key) {
    Object v = document.get(key);
    return v == null ? "" : String.valueOf(v);
  }

  /** For {@code approvalNeeded}: the one-time link that answers the approval. */
  @Nullable String approvalLink() {
    Object l = document.get("approvalLink");
    return l == null ? null : String.valueOf(l);
  }

  /** Good news, bad news, or a person is needed: the colour and the word of chat messages. */
  enum Tone {
    GOOD,
    BAD,
    ATTENTION,
    INFO
  }

  Tone tone() {
    return switch (event()) {
      case "promoted", "approved", "resumed" -> Tone.GOOD;
      case "analysisFailed", "rollingBack", "rolledBack", "failed" -> Tone.BAD;
      case "approvalNeeded", "paused", "held", "aborted" -> Tone.ATTENTION;
      default -> Tone.INFO;
    };
  }

  /** The plan and version, then what happened: one line. */
  String headline() {
    String who = plan() + (version() == null ? "" : " " + version());
    int step = document.get("step") instanceof Number n ? n.intValue() : 0;
    int steps = document.get("steps") instanceof Number n ? n.intValue() : 0;
    String at = " at " + weight() + " %";
    String what =
        switch (event()) {
          case "started" -> "rollout started";
          case "stepCompleted" ->
              "step " + (step - 1) + (steps > 0 ? " of " + steps : "") + " done, canary" + at;
          case "analysisFailed" -> "analysis failed" + at;
          case "paused" -> "paused" + at;
          case "resumed" -> "resumed" + at;
          case "approvalNeeded" -> "waiting for approval" + at;
          case "approved" -> "approved" + at;
          case "held" -> "held" + at;
          case "promoted" -> "promoted: all traffic on the new version";
          case "rollingBack" -> "rolling back from " + weight() + " %";
          case "rolledBack" -> "rolled back: all traffic on the stable version";
          case "aborted" -> "aborted: all traffic on the stable version";
          case "failed" -> "failed: the router could not be driven";
          default -> event();
        };
    return who + ": " + what;
  }

  /** The facts beside the reason, in order: weight, step, verdict, cause. */
  Map<String, String> facts() {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("Weight", weight() + " %");
    if (document.get("step") instanceof Number n && document.get("steps") instanceof Number all) {
      facts.put("Step", n.intValue() + " of " + all.intValue());
    }
    if (document.get("verdict") != null) {
      facts.put(
          "Last verdict",
          document.get("verdict")
              + (document.get("score") == null ? "" : " (score " + document.get("score") + ")"));
    }
    if (document.get("rollbackCause") != null) {
      facts.put("Rollback cause", String.valueOf(document.get("rollbackCause")));
    }
    facts.put("By", text("actor"));
    return facts;
  }
}
