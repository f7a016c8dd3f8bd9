package dev.aviary.controller.rollout;

import dev.aviary.analysis.judge.JudgeState;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The rollout's JSONB columns as the types the code works with. */
final class JsonColumns {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<LinkedHashMap<String, String>> STRINGS =
      new TypeReference<>() {};

  private JsonColumns() {}

  /** A scope or metadata: names to string values, in their given order. */
  @Converter
  static final class StringMap implements AttributeConverter<Map<String, String>, String> {
    @Override
    public String convertToDatabaseColumn(Map<String, String> value) {
      return JSON.writeValueAsString(value == null ? Map.of() : value);
    }

    @Override
    public Map<String, String> convertToEntityAttribute(String column) {
      return column == null ? new LinkedHashMap<>() : JSON.readValue(column, STRINGS);
    }
  }

  /** What the judges of a rollout remember between ticks. */
  @Converter
  static final class JudgeStates implements AttributeConverter<JudgeState, String> {
    @Override
    public String convertToDatabaseColumn(JudgeState value) {
      return JSON.writeValueAsString(value == null ? JudgeState.EMPTY : value);
    }

    @Override
    public JudgeState convertToEntityAttribute(String column) {
      return column == null ? JudgeState.EMPTY : JSON.readValue(column, JudgeState.class);
    }
  }
}
