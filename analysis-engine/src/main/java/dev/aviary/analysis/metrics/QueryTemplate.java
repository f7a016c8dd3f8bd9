package dev.aviary.analysis.metrics;

import dev.aviary.analysis.FatalAnalysisException;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${name}} substitution. An unknown name is an error, never an empty string; every value is
 * escaped for where it lands in the template's {@link QueryLanguage}.
 */
public final class QueryTemplate {

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.-]*)}");

  private QueryTemplate() {}

  public static String render(
      String template, Map<String, String> variables, QueryLanguage language) {
    Matcher m = VARIABLE.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = variables.get(m.group(1));
      if (value == null) {
        throw new FatalAnalysisException(
            "the query uses ${"
                + m.group(1)
                + "}, which is not defined; defined variables: "
                + String.join(", ", new TreeSet<>(variables.keySet())));
      }
      String safe = language.escape(template, m.start(), m.group(1), value);
      m.appendReplacement(out, Matcher.quoteReplacement(safe));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The variable names a template uses. */
  public static java.util.Set<String> variablesOf(String template) {
    java.util.Set<String> names = new TreeSet<>();
    Matcher m = VARIABLE.matcher(template);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
