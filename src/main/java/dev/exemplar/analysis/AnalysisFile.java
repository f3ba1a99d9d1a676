package dev.exemplar.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import dev.exemplar.json.Json;
import dev.exemplar.summary.Result;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The analysis file ({@code analysis.json}): the method, the paper-style figures, the redundant
 * and influential groups with their classes, the reduced set, what the similarities show (the
 * least similar pairs, the most isolated items), the train/test overlap when a test set was given,
 * and the items that could not be read. Items are named as in the result file. Figures that do
 * not apply to the method are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnalysisFile(
        @JsonProperty("method") String method,
        @JsonProperty("figures") Figures figures,
        @JsonProperty("redundant_groups") List<Group> redundantGroups,
        @JsonProperty("influential_groups") List<Group> influentialGroups,
        @JsonProperty("reduced_set") List<String> reducedSet,
        @JsonProperty("least_similar_pairs") List<SimilarPair> leastSimilarPairs,
        @JsonProperty("isolated_items") List<Isolated> isolatedItems,
        @JsonProperty("test_overlap") TestOverlap testOverlap,
        @JsonProperty("isolated_test_items") List<Isolated> isolatedTestItems,
        @JsonProperty("errors") List<Result.ItemError> errors,
        @JsonProperty("test_errors") List<Result.ItemError> testErrors) {

    /**
     * n items of d values each; for the wavelet method the coefficients that vary (non_constant), the
     * m kept, the condition numbers of the varying and of the kept columns and the numerical rank;
     * n_c clusters; seconds per phase. The rest belongs to one method each.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Figures(
            @JsonProperty("n") int n,
            @JsonProperty("d") Integer d,
            @JsonProperty("non_constant") Integer nonConstant,
            @JsonProperty("m") Integer m,
            @JsonProperty("condition_before") Double conditionBefore,
            @JsonProperty("condition_after") Double conditionAfter,
            @JsonProperty("numerical_rank") Integer numericalRank,
            @JsonProperty("n_c") Integer clusters,
            @JsonProperty("classes") int classes,
            @JsonProperty("n_c_rule") String clusterRule,
            @JsonProperty("link_level") Double linkLevel,
            @JsonProperty("components") Integer components,
            @JsonProperty("gamma") Double gamma,
            @JsonProperty("threshold") Double threshold,
            @JsonProperty("keep") Double keep,
            @JsonProperty("linkage") String linkage,
            @JsonProperty("split_classes") List<String> splitClasses,
            @JsonProperty("without_vector") Integer withoutVector,
            @JsonProperty("seconds") Map<String, Double> seconds) {

        /** Figures of n items in some classes, timed into {@code seconds} (kept, not copied: later phases still add to it). */
        static Builder of(int n, int classes, Map<String, Double> seconds) {
            return new Builder(n, classes, seconds);
        }

        /** The figures a method has, each named; the others stay absent from the file. */
        static final class Builder {
            private final int n, classes;
            private final Map<String, Double> seconds;
            private Integer d, nonConstant, m, numericalRank, clusters, components, withoutVector;
            private Double conditionBefore, conditionAfter, linkLevel, gamma, threshold, keep;
            private String clusterRule, linkage;
            private List<String> splitClasses;

            private Builder(int n, int classes, Map<String, Double> seconds) {
                this.n = n;
                this.classes = classes;
                this.seconds = seconds;
            }

            Builder d(Integer v) { d = v; return this; }
            Builder nonConstant(Integer v) { nonConstant = v; return this; }
            Builder m(Integer v) { m = v; return this; }
            Builder conditionBefore(Double v) { conditionBefore = v; return this; }
            Builder conditionAfter(Double v) { conditionAfter = v; return this; }
            Builder numericalRank(Integer v) { numericalRank = v; return this; }
            Builder clusters(Integer v) { clusters = v; return this; }
            Builder clusterRule(String v) { clusterRule = v; return this; }
            Builder linkLevel(Double v) { linkLevel = v; return this; }
            Builder components(Integer v) { components = v; return this; }
            Builder gamma(Double v) { gamma = v; return this; }
            Builder threshold(Double v) { threshold = v; return this; }
            Builder keep(Double v) { keep = v; return this; }
            Builder linkage(String v) { linkage = v; return this; }
            Builder splitClasses(List<String> v) { splitClasses = v; return this; }
            Builder withoutVector(Integer v) { withoutVector = v; return this; }

            Figures build() {
                return new Figures(n, d, nonConstant, m, conditionBefore, conditionAfter, numericalRank, clusters, classes, clusterRule,
                        linkLevel, components, gamma, threshold, keep, linkage, splitClasses, withoutVector, seconds);
            }
        }
    }

    /** A redundant group (with the item kept) or an influential one (kept is absent: all stay). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Group(@JsonProperty("items") List<String> items, @JsonProperty("classes") List<String> classes,
                        @JsonProperty("kept") String kept) { }

    public record SimilarPair(@JsonProperty("a") String a, @JsonProperty("b") String b, @JsonProperty("similarity") double similarity) { }

    /** An item and the similarity of the most similar other item (or training item), which it names. */
    public record Isolated(@JsonProperty("item") String item, @JsonProperty("similarity") double similarity,
                           @JsonProperty("nearest") String nearest) { }

    /** The share of test items with a near-identical training item, and per test item its nearest training items. */
    public record TestOverlap(@JsonProperty("share") double share, @JsonProperty("test_items") int testItems,
                              @JsonProperty("near_identical") int nearIdentical, @JsonProperty("measure") String measure,
                              @JsonProperty("items") List<TestItem> items) { }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TestItem(@JsonProperty("item") String item, @JsonProperty("nearest") List<Neighbour> nearest,
                           @JsonProperty("near_identical") String nearIdentical, @JsonProperty("ssim") Double ssim) { }

    public record Neighbour(@JsonProperty("item") String item, @JsonProperty("similarity") double similarity) { }


    public void write(Path file) throws IOException {
        Json.PRETTY.writeValue(file.toFile(), this);
    }

    public static AnalysisFile read(Path file) throws IOException {
        return Json.MAPPER.readerFor(AnalysisFile.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(file.toFile());
    }
}
