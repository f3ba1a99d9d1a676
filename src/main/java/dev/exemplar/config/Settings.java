package dev.exemplar.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The effective settings: plugin.yaml's defaults, each overridden by its environment variable. */
public final class Settings {
    /** The kind of each setting that is not free text; a value of another kind is refused by {@link #problems}. */
    private static final Map<String, SettingKind> KINDS = Map.of(
            "port", SettingKind.PORT,
            "label_studio_url", SettingKind.URL,
            "summary_size", SettingKind.SUMMARY_SIZE,
            "max_delegates", SettingKind.COUNT,
            "features", SettingKind.FEATURES,
            "max_image_bytes", SettingKind.COUNT,
            "engine_threads", SettingKind.COUNT_OR_ZERO,
            "max_image_pixels", SettingKind.COUNT,
            "queue", SettingKind.QUEUE,
            "log_level", SettingKind.LOG_LEVEL);

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

    /**
     * One sentence per setting whose value is not of its kind, naming the setting, its variable, what it accepts and
     * the value: what {@code config} prints and what stops {@code serve} before it starts.
     */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        for (Manifest.Setting s : manifest.settings()) {
            SettingKind kind = KINDS.getOrDefault(s.name(), SettingKind.TEXT);
            String v = values.get(s.name()).strip();
            if (!kind.accepts(v)) {
                out.add("setting " + s.name() + " (" + s.env() + ") must be " + kind.allowed + ", got '" + values.get(s.name()) + "'");
            }
        }
        return out;
    }

    /** Refuses settings with {@link #problems}, all of them named in the message. */
    public void check() {
        List<String> p = problems();
        if (!p.isEmpty()) throw new IllegalArgumentException(String.join("; ", p));
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
