package dev.exemplar.cli;

import picocli.CommandLine;

/** A share of a set written as a percentage, {@code 0%} to {@code 100%}. */
record Percentage(double share, String written) {
    @Override
    public String toString() {
        return written;
    }

    /** Reads {@code P%} for picocli, whose parameter exception names the option and the value. */
    static final class Converter implements CommandLine.ITypeConverter<Percentage> {
        @Override
        public Percentage convert(String value) {
            String v = value.strip();
            try {
                if (v.endsWith("%")) {
                    double p = Double.parseDouble(v.substring(0, v.length() - 1));
                    if (p >= 0 && p <= 100) return new Percentage(p / 100, v);
                }
            } catch (NumberFormatException e) {
                // refused below, as any other bad value
            }
            throw new CommandLine.TypeConversionException("expected a percentage 0%..100%, got " + value);
        }
    }
}
