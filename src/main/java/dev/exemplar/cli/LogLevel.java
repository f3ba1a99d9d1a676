package dev.exemplar.cli;

import dev.exemplar.config.Settings;

import java.util.Locale;
import java.util.Optional;

/**
 * How much Exemplar's own loggers say (the log_level setting, LOG_LEVEL). slf4j-simple fixes a logger's level
 * when the logger is made, so this is applied first thing in {@code main}, before any class logs.
 */
enum LogLevel {
    TRACE, DEBUG, INFO, WARN, ERROR;

    /** slf4j-simple reads the level of the loggers under a name from this property. */
    static final String PROPERTY = "org.slf4j.simpleLogger.log.dev.exemplar";

    /** The level the settings name; none for another value, which the settings' own check names. */
    static Optional<LogLevel> of(Settings settings) {
        String value = settings.get("log_level").trim();
        for (LogLevel l : values()) if (l.name().equalsIgnoreCase(value)) return Optional.of(l);
        return Optional.empty();
    }

    void apply() {
        System.setProperty(PROPERTY, name().toLowerCase(Locale.ROOT));
    }
}
