package dev.exemplar.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/** What a setting's value may be; each kind says in words what it accepts. */
enum SettingKind {
    /** A TCP port; 0 lets the system choose one. */
    PORT("a whole number from 0 to 65535") {
        @Override
        boolean accepts(String v) {
            return wholeIn(v, 0, 65535);
        }
    },
    /** A count of one or more. */
    COUNT("a whole number of at least 1") {
        @Override
        boolean accepts(String v) {
            return wholeIn(v, 1, Long.MAX_VALUE);
        }
    },
    /** A count where 0 means "as many as the machine has". */
    COUNT_OR_ZERO("a whole number of at least 0") {
        @Override
        boolean accepts(String v) {
            return wholeIn(v, 0, Long.MAX_VALUE);
        }
    },
    /** A summary size, as --summary-size takes it. */
    SUMMARY_SIZE("a count of at least 1, a percentage above 0% up to 100%, or auto") {
        @Override
        boolean accepts(String v) {
            if (v.equalsIgnoreCase("auto")) return true;
            if (!v.endsWith("%")) return wholeIn(v, 1, Long.MAX_VALUE);
            try {
                double p = Double.parseDouble(v.substring(0, v.length() - 1));
                return p > 0 && p <= 100;
            } catch (NumberFormatException e) {
                return false;
            }
        }
    },
    FEATURES("one of combined, wavelet, learned") {
        @Override
        boolean accepts(String v) {
            return Set.of("combined", "wavelet", "learned").contains(v.toLowerCase(Locale.ROOT));
        }
    },
    QUEUE("one of summary, adaptive") {
        @Override
        boolean accepts(String v) {
            return Set.of("summary", "adaptive").contains(v.toLowerCase(Locale.ROOT));
        }
    },
    LOG_LEVEL("one of trace, debug, info, warn or error") {
        @Override
        boolean accepts(String v) {
            return Set.of("trace", "debug", "info", "warn", "error").contains(v.toLowerCase(Locale.ROOT));
        }
    },
    /** Empty (none) or an http(s) URL with a host. */
    URL("empty or an http:// or https:// URL with a host") {
        @Override
        boolean accepts(String v) {
            if (v.isEmpty()) return true;
            try {
                URI u = new URI(v);
                return ("http".equalsIgnoreCase(u.getScheme()) || "https".equalsIgnoreCase(u.getScheme())) && u.getHost() != null;
            } catch (URISyntaxException e) {
                return false;
            }
        }
    },
    /** Free text: names, paths, lists, secrets. */
    TEXT("any text") {
        @Override
        boolean accepts(String v) {
            return true;
        }
    };

    /** What the kind accepts, for the message naming a value it does not. */
    final String allowed;

    SettingKind(String allowed) {
        this.allowed = allowed;
    }

    /** Whether the value (stripped) is of this kind. */
    abstract boolean accepts(String value);

    private static boolean wholeIn(String v, long min, long max) {
        try {
            long n = Long.parseLong(v);
            return n >= min && n <= max;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
