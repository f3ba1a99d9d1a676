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
