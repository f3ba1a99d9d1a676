package dev.exemplar.cli;

import dev.exemplar.config.Settings;

import java.util.Locale;

/**
 * How much Exemplar's own loggers say (the log_level setting, LOG_LEVEL). slf4j-simple fixes a logger's level
 * when the logger is made, so this is applied first thing in {@code main}, before any class logs.
 */
enum LogLevel {
    TRACE, DEBUG, INFO, WARN, ERROR;

    /** slf4j-simple reads the level of the loggers under a name from this property. */
    static final String PROPERTY = "org.slf4j.simpleLogger.log.dev.exemplar";

    /** The level the settings name; a clear error naming the setting and its variable for anything else. */
    static LogLevel of(Settings settings) {
        String value = settings.get("log_level").trim();
        for (LogLevel l : values()) if (l.name().equalsIgnoreCase(value)) return l;
        throw new IllegalArgumentException("setting log_level (LOG_LEVEL) must be one of trace, debug, info, warn or error, got '"
                + settings.get("log_level") + "'");
    }

    void apply() {
        System.setProperty(PROPERTY, name().toLowerCase(Locale.ROOT));
    }
}
