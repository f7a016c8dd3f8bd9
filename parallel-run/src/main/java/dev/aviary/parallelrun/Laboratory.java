package dev.aviary.parallelrun;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What experiments share: the bounded executor candidates run on, the candidate timeout, the random
 * source of sampling and ordering, and the publishers. Build one per service and reuse it; {@link
 * #standard()} has two threads, a queue of 100, a timeout of one second and no publisher.
 */
public final class Laboratory implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Laboratory.class);
  private static volatile @org.jspecify.annotations.Nullable Laboratory standard;

  private final ExecutorService executor;
  private final Duration timeout;
  private final DoubleSupplier random;
  private final List<Publisher> publishers;

  private Laboratory(Builder b) {
    this.executor = b.executor != null ? b.executor : bounded(b.threads, b.queue);
    this.timeout = b.timeout;
    this.random = b.random;
    this.publishers = List.copyOf(b.publishers);
  }

  /** The laboratory {@link Experiment#named} uses unless told otherwise. */
  public static Laboratory standard() {
    Laboratory l = standard;
    if (l == null) {
      synchronized (Laboratory.class) {
        l = standard;
        if (l == null) {
          l = builder().build();
          standard = l;
        }
      }
    }
    return l;
  }

  /** Makes {@code lab} the one {@link Experiment#named} uses. */
  public static void setStandard(Laboratory lab) {
    standard = Objects.requireNonNull(lab);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts an experiment in this laboratory. */
  public Experiment.Named experiment(String name) {
    return new Experiment.Named(name, this);
  }

  ExecutorService executor() {
    return executor;
  }

  Duration timeout() {
    return timeout;
  }

  double random() {
    return random.getAsDouble();
  }

  void publish(Result<?> result) {
    for (Publisher p : publishers) {
      try {
        p.publish(result);
      } catch (RuntimeException e) {
        log.warn("publishing the result of experiment {} failed", result.experiment(), e);
      }
    }
  }

  private static ExecutorService bounded(int threads, int queue) {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(
        threads,
        threads,
        30,
        TimeUnit.SECONDS,
        queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue),
        r -> {
          Thread t = new Thread(r, "aviary-experiment-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        },
        new ThreadPoolExecutor.AbortPolicy());
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  /** Settings of a laboratory. */
  public static final class Builder {
    private int threads = 2;
    private int queue = 100;
    private @org.jspecify.annotations.Nullable ExecutorService executor;
    private Duration timeout = Duration.ofSeconds(1);
    private DoubleSupplier random =
        () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble();
    private final List<Publisher> publishers = new ArrayList<>();

    /** Candidates run on {@code threads} threads with at most {@code queue} waiting. */
    public Builder bounded(int threads, int queue) {
      if (threads < 1 || queue < 0) {
        throw new IllegalArgumentException("need at least one thread and a queue of 0 or more");
      }
      this.threads = threads;
      this.queue = queue;
      return this;
    }

    /**
     * Candidates run on {@code executor}; it should be bounded and reject what it cannot take
     * (rejected candidates are counted as skipped).
     */
    public Builder executor(ExecutorService executor) {
      this.executor = executor;
      return this;
    }

    /** A candidate still running after {@code timeout} counts as a timeout. */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("the timeout must be positive");
      }
      this.timeout = timeout;
      return this;
    }

    /** The random numbers in [0, 1) that sample and order experiments: seeded in tests. */
    public Builder random(DoubleSupplier random) {
      this.random = random;
      return this;
    }

    public Builder publisher(Publisher publisher) {
      publishers.add(publisher);
      return this;
    }

    public Laboratory build() {
      return new Laboratory(this);
    }
  }
}
