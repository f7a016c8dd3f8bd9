package dev.aviary.analysis.judge;

import java.math.BigDecimal;
import java.math.MathContext;

/** Numbers in reasons: four significant digits, no exponent for ordinary magnitudes. */
public final class Format {

  private Format() {}

  public static String num(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return String.valueOf(v);
    }
    if (v == 0) {
      return "0";
    }
    BigDecimal rounded = new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros();
    double magnitude = Math.abs(v);
    return magnitude >= 1e-4 && magnitude < 1e12 ? rounded.toPlainString() : rounded.toString();
  }
}
