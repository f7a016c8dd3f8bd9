package dev.aviary.kernel;

/**
 * One thing wrong with a setting.
 *
 * @param field the setting's path relative to where the settings were handed over, e.g. {@code
 *     auth.bearer.env}
 * @param message why it is wrong, in words a person can act on
 */
public record SettingViolation(String field, String message) {

  /** The same violation, its field placed under {@code prefix}. */
  public SettingViolation under(String prefix) {
    if (prefix == null || prefix.isEmpty()) {
      return this;
    }
    return new SettingViolation(field.isEmpty() ? prefix : prefix + "." + field, message);
  }
}
