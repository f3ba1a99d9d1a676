package dev.exemplar.store;

import java.util.Locale;

/** The store's enums as the database holds them: each value as its name in lower case. */
final class Words {
    private Words() { }

    static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** The value of this word; null stays null, and a word the type does not have is a damaged database. */
    static <E extends Enum<E>> E parse(Class<E> type, String word) {
        if (word == null) return null;
        for (E v : type.getEnumConstants()) if (of(v).equals(word)) return v;
        throw new IllegalStateException("unknown " + type.getSimpleName() + " in the database: " + word);
    }
}
