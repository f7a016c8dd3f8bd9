package dev.aviary.analysis.judge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/** The judges Aviary knows, by name. */
public final class Judges {

  private final Map<String, JudgeFactory> byType = new LinkedHashMap<>();

  public Judges(List<? extends JudgeFactory> factories) {
    for (JudgeFactory f : factories) {
      if (byType.putIfAbsent(f.type(), f) != null) {
        throw new IllegalStateException(
            "two judges are named '"
                + f.type()
                + "': "
                + byType.get(f.type()).getClass().getName()
                + " and "
                + f.getClass().getName());
      }
    }
  }

  /**
   * Every judge registered in {@code META-INF/services} on the class path.
   *
   * @throws java.util.ServiceConfigurationError when a registered class cannot be loaded, naming it
   */
  public static Judges discover() {
    List<JudgeFactory> found = new ArrayList<>();
    ServiceLoader.load(JudgeFactory.class, Judges.class.getClassLoader()).forEach(found::add);
    if (found.isEmpty()) {
      throw new IllegalStateException(
          "no judge is registered in META-INF/services/" + JudgeFactory.class.getName());
    }
    return new Judges(found);
  }

  public Optional<JudgeFactory> find(String type) {
    return Optional.ofNullable(byType.get(type));
  }

  public Set<String> types() {
    return byType.keySet();
  }

  /**
   * The judge for {@code shape} when a plan names none.
   *
   * @throws IllegalStateException when no registered judge is the default for it
   */
  public JudgeFactory defaultFor(DataShape shape) {
    return byType.values().stream()
        .filter(f -> f.defaultFor().contains(shape))
        .findFirst()
        .orElseThrow(
            () -> new IllegalStateException("no registered judge is the default for " + shape));
  }

  /** The judges that judge data of {@code shape}, by name. */
  public List<String> typesFor(DataShape shape) {
    return byType.values().stream()
        .filter(f -> f.shapes().contains(shape))
        .map(JudgeFactory::type)
        .toList();
  }
}
