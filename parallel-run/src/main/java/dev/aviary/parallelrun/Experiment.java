package dev.aviary.parallelrun;

import dev.aviary.parallelrun.compare.CompareOptions;
import dev.aviary.parallelrun.compare.Differ;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * One comparison of a trusted implementation (the control) with a new one (the candidate), after
 * GitHub's Scientist:
 *
 * <pre>{@code
 * Price p = Experiment.named("pricing").control(() -> oldPrice(item)).candidate(() -> newPrice(item)).run();
 * }</pre>
 *
 * <ul>
 *   <li>{@link #run()} always answers the control's value, or throws the control's exception: the
 *       candidate can never change what the caller gets.
 *   <li>By default the candidate runs afterwards on the laboratory's bounded executor, and the
 *       caller does not wait for it; a candidate that cannot be queued is counted as skipped, one
 *       still running after the laboratory's timeout as a timeout. {@link #inline()} runs both on
 *       the caller's thread in random order instead, as Scientist does (no timeout then).
 *   <li>Candidate exceptions are caught and counted; both sides throwing the same class with the
 *       same message is a match.
 *   <li>{@link #comparator} decides equality (default {@link Objects#equals}); {@link #structural}
 *       compares the values as JSON and names the field paths that differ; {@link #ignore} rules
 *       turn a mismatch into an ignored difference; {@link #clean} shapes values for publishing
 *       only.
 *   <li>{@link #enabled(double)} runs the candidate for that percentage of calls only.
 * </ul>
 *
 * <p>Only wrap code without side effects, or whose candidate's side effects go nowhere: a candidate
 * that writes would write twice.
 */
public final class Experiment<T> {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final String name;
  private final Laboratory lab;
  private final Supplier<T> control;
  private @Nullable Supplier<T> candidate;
  private BiPredicate<? super T, ? super T> comparator = Objects::equals;
  private @Nullable Differ differ;
  private final List<BiPredicate<? super T, ? super T>> ignores = new ArrayList<>();
  private Function<? super T, ?> clean = v -> v;
  private double percent = 100;
  private boolean inline;

  private Experiment(String name, Laboratory lab, Supplier<T> control) {
    this.name = name;
    this.lab = lab;
    this.control = control;
  }

  /** An experiment in the {@linkplain Laboratory#standard() standard laboratory}. */
  public static Named named(String name) {
    return new Named(name, Laboratory.standard());
  }

  /** An experiment that has a name and a laboratory, waiting for its control. */
  public static final class Named {
    private final String name;
    private final Laboratory lab;

    Named(String name, Laboratory lab) {
      if (name.isBlank()) {
        throw new IllegalArgumentException("an experiment needs a name");
      }
      this.name = name;
      this.lab = lab;
    }

    /** The trusted behaviour, whose answer the caller always gets. */
    public <T> Experiment<T> control(Supplier<T> control) {
      return new Experiment<>(name, lab, Objects.requireNonNull(control));
    }
  }

  /** The new behaviour, compared with the control. */
  public Experiment<T> candidate(Supplier<T> candidate) {
    this.candidate = Objects.requireNonNull(candidate);
    return this;
  }

  /** When a control's and a candidate's values are the same. */
  public Experiment<T> comparator(BiPredicate<? super T, ? super T> comparator) {
    this.comparator = Objects.requireNonNull(comparator);
    this.differ = null;
    return this;
  }

  /** Compares the values as JSON documents, naming the field paths that differ. */
  public Experiment<T> structural(CompareOptions options) {
    this.differ = new Differ(options);
    return this;
  }

  /** A difference this accepts is counted as ignored, not as a mismatch. May be given again. */
  public Experiment<T> ignore(BiPredicate<? super T, ? super T> rule) {
    ignores.add(Objects.requireNonNull(rule));
    return this;
  }

  /** How values are shown to publishers (never used for comparing). */
  public Experiment<T> clean(Function<? super T, ?> clean) {
    this.clean = Objects.requireNonNull(clean);
    return this;
  }

  /** Runs the candidate in {@code percent} of calls (0 to 100). */
  public Experiment<T> enabled(double percent) {
    if (!(percent >= 0 && percent <= 100)) {
      throw new IllegalArgumentException("percent must lie in [0, 100]");
    }
    this.percent = percent;
    return this;
  }

  /** Runs both behaviours on the caller's thread, in random order. */
  public Experiment<T> inline() {
    this.inline = true;
    return this;
  }

  /** Runs the experiment; answers the control's value or throws its exception. */
  public T run() {
    Supplier<T> cand = candidate;
    if (cand == null || !(percent >= 100 || lab.random() * 100 < percent)) {
      return control.get();
    }
    if (inline) {
      return runInline(cand);
    }
    Observation<T> c = observe(control);
    try {
      var unused =
          CompletableFuture.supplyAsync(() -> observe(cand), lab.executor())
              .orTimeout(lab.timeout().toNanos(), TimeUnit.NANOSECONDS)
              .whenComplete(
                  (obs, failure) -> {
                    if (obs != null) {
                      lab.publish(result(c, obs));
                    } else if (unwrap(failure) instanceof TimeoutException) {
                      lab.publish(outcome(c, Outcome.TIMEOUT));
                    } else {
                      lab.publish(
                          result(c, new Observation<T>(null, unwrap(failure), Duration.ZERO)));
                    }
                  });
    } catch (RejectedExecutionException e) {
      lab.publish(outcome(c, Outcome.SKIPPED));
    }
    return answer(c);
  }

  private T runInline(Supplier<T> cand) {
    Observation<T> c;
    Observation<T> k;
    if (lab.random() < 0.5) {
      c = observe(control);
      k = observe(cand);
    } else {
      k = observe(cand);
      c = observe(control);
    }
    lab.publish(result(c, k));
    return answer(c);
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof java.util.concurrent.CompletionException && t.getCause() != null
        ? t.getCause()
        : t;
  }

  @SuppressWarnings("NullAway") // the control's own value: null only when the control returned null
  private T answer(Observation<T> c) {
    Throwable e = c.exception();
    if (e instanceof RuntimeException r) {
      throw r;
    }
    if (e instanceof Error err) {
      throw err;
    }
    return c.value();
  }

  private static <V> Observation<V> observe(Supplier<V> behaviour) {
    long start = System.nanoTime();
    try {
      V v = behaviour.get();
      return new Observation<>(v, null, Duration.ofNanos(System.nanoTime() - start));
    } catch (RuntimeException | Error e) {
      return new Observation<>(null, e, Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private Result<T> outcome(Observation<T> c, Outcome outcome) {
    SortedSet<String> paths =
        outcome.mismatched() ? new TreeSet<>(List.of(Differ.ERROR)) : new TreeSet<>();
    return new Result<>(
        name, c, null, outcome, Collections.unmodifiableSortedSet(paths), cleaned(c), null);
  }

  private Result<T> result(Observation<T> c, Observation<T> k) {
    SortedSet<String> paths = new TreeSet<>();
    Outcome outcome;
    Throwable ce = c.exception();
    Throwable ke = k.exception();
    if (ce != null || ke != null) {
      boolean same =
          ce != null
              && ke != null
              && ce.getClass() == ke.getClass()
              && Objects.equals(ce.getMessage(), ke.getMessage());
      if (same) {
        outcome = Outcome.MATCH;
      } else {
        paths.add(Differ.ERROR);
        outcome = ke != null && ce == null ? Outcome.CANDIDATE_ERROR : Outcome.MISMATCH;
      }
    } else {
      paths.addAll(differences(c.value(), k.value()));
      outcome = paths.isEmpty() ? Outcome.MATCH : Outcome.MISMATCH;
    }
    if (outcome == Outcome.MISMATCH && ignored(c.value(), k.value())) {
      outcome = Outcome.IGNORED;
    }
    return new Result<>(
        name, c, k, outcome, Collections.unmodifiableSortedSet(paths), cleaned(c), cleaned(k));
  }

  private SortedSet<String> differences(@Nullable T a, @Nullable T b) {
    Differ d = differ;
    SortedSet<String> out = new TreeSet<>();
    if (d != null) {
      out.addAll(d.diffJson(JSON.valueToTree(a), JSON.valueToTree(b)));
    } else if (!comparator.test(a, b)) {
      out.add("value");
    }
    return out;
  }

  private boolean ignored(@Nullable T a, @Nullable T b) {
    for (BiPredicate<? super T, ? super T> rule : ignores) {
      if (rule.test(a, b)) {
        return true;
      }
    }
    return false;
  }

  private @Nullable Object cleaned(Observation<T> o) {
    T v = o.value();
    return v == null ? null : clean.apply(v);
  }

  @Override
  public String toString() {
    return "Experiment[" + name + "]";
  }
}
