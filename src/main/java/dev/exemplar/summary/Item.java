package dev.exemplar.summary;

import java.io.IOException;

/** One image to summarise: its name in the result, and how to read its bytes. */
public record Item(String name, Reader reader) {
    @FunctionalInterface
    public interface Reader {
        byte[] read() throws IOException;
    }
}
