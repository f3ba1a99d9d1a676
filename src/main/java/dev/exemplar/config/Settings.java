package dev.exemplar.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The effective settings: plugin.yaml's defaults, each overridden by its environment variable. */
public final class Settings {
    private final Manifest manifest;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();

    public Settings(Manifest manifest, Function<String, String> environment) {
        this.manifest = manifest;
        for (Manifest.Setting s : manifest.settings()) {
            String fromEnv = environment.apply(s.env());
            boolean set = fromEnv != null && !fromEnv.isEmpty();
            values.put(s.name(), set ? fromEnv : s.defaultValue() == null ? "" : s.defaultValue());
            sources.put(s.name(), set ? "environment " + s.env() : "plugin.yaml default");
        }
    }

    public static Settings fromEnvironment() {
        return new Settings(Manifest.load(), System::getenv);
    }

    public Manifest manifest() {
        return manifest;
    }

    public String get(String name) {
        String v = values.get(name);
        if (v == null) throw new IllegalArgumentException("no setting named " + name + " in plugin.yaml");
        return v;
    }

    public int getInt(String name) {
        try {
            return Integer.parseInt(get(name).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + name + " must be a whole number, got '" + get(name) + "'");
        }
    }

    /** A whole number within [min, max]; anything else is an error in one line naming the setting and its variable. */
    public long getLong(String name, long min, long max) {
        try {
            long n = Long.parseLong(get(name).trim());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // said below, as a number out of range is
        }
        throw new IllegalArgumentException("setting " + name + " (" + envOf(name) + ") must be a whole number from " + min
                + " to " + max + ", got '" + get(name) + "'");
    }

    private String envOf(String name) {
        return manifest.settings().stream().filter(s -> s.name().equals(name)).map(Manifest.Setting::env).findFirst().orElse(name);
    }

    /** One line per setting for people: name, value (secrets masked), where it came from, what it means. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(manifest.title()).append(' ').append(manifest.version())
                .append(" (model version ").append(manifest.modelVersion()).append(")\n");
        for (Manifest.Setting s : manifest.settings()) {
            String v = values.get(s.name());
            String shown = s.secret() && !v.isEmpty() ? "****** (set)" : v.isEmpty() ? "(empty)" : v;
            out.append(String.format("%-22s %-28s %-32s %s%n", s.name(), shown, sources.get(s.name()), s.meaning()));
        }
        return out.toString();
    }
}
