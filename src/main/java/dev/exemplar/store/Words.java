package dev.exemplar.store;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** One of the store's enums, which the database holds, and the API says, as its name in lower case. */
public interface Words {
    String name();

    /** The word the database holds. */
    @JsonValue
    default String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The value of this word; null stays null, and a word the type does not have is a damaged database. */
    static <E extends Enum<E> & Words> E parse(Class<E> type, String word) {
        if (word == null) return null;
        for (E v : type.getEnumConstants()) if (v.text().equals(word)) return v;
        throw new IllegalStateException("unknown " + type.getSimpleName() + " in the database: " + word);
    }
}
