package dev.exemplar.summary;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import dev.exemplar.json.Json;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * The result file: every readable item once in {@code order} (summary first), links for every
 * constituent, duplicate groups and per-item errors. Its JSON shape is fixed by the design.
 * <p>
 * A run that had to stop writes what it had with {@code partial} true and {@code stopped} saying why; a finished
 * one leaves both out, so readers of the design's fields read either.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Result(
        @JsonProperty("order") List<String> order,
        @JsonProperty("summary_size") int summarySize,
        @JsonProperty("links") Map<String, List<Link>> links,
        @JsonProperty("duplicates") List<List<String>> duplicates,
        @JsonProperty("errors") List<ItemError> errors,
        @JsonProperty("partial") Boolean partial,
        @JsonProperty("stopped") String stopped) {

    /** A finished run's result. */
    public Result(List<String> order, int summarySize, Map<String, List<Link>> links, List<List<String>> duplicates,
                  List<ItemError> errors) {
        this(order, summarySize, links, duplicates, errors, null, null);
    }

    /** Whether the run that wrote this stopped before its end. */
    public boolean isPartial() {
        return Boolean.TRUE.equals(partial);
    }

    /** Serializable: a Spark job collects links to its driver. */
    public record Link(@JsonProperty("delegate") String delegate, @JsonProperty("weight") double weight) implements java.io.Serializable { }

    public record ItemError(@JsonProperty("item") String item, @JsonProperty("error") String error) { }


    /**
     * Writes the file whole or not at all: into a file beside it, then moved over it, so a run stopped while
     * writing (a signal, a full disk) never leaves a half-written result where a whole one was.
     */
    public void write(Path file) throws IOException {
        Path name = file.getFileName();
        Path part = file.resolveSibling("." + (name == null ? "result" : name) + ".part");
        try {
            Json.PRETTY.writeValue(part.toFile(), this);
            try {
                Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            try {
                Files.deleteIfExists(part);
            } catch (IOException e) {
                // what failed before says why; a part file left behind is hidden and replaced next time
            }
        }
    }

    public static Result read(Path file) throws IOException {
        return Json.MAPPER.readerFor(Result.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(file.toFile());
    }
}
