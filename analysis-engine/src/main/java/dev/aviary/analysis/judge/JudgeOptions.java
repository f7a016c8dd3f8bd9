package dev.aviary.analysis.judge;

import java.util.Map;

/**
 * A judge's validated options, as a plan or a judgement request sets them. Each judge has its own
 * record implementing this; the registry reads them ({@link JudgeFactory#read}) and they write
 * themselves back and build their judge.
 */
public interface JudgeOptions {

  /** The judge's name, as in {@code judge.type}. */
  String type();

  /** The options in canonical form, every default filled in, {@code type} included. */
  Map<String, Object> toDocument();

  /** The judge these options configure. */
  Judge judge();
}
