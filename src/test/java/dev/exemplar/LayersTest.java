package dev.exemplar;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.exemplar.backend.InvalidRequest;
import dev.exemplar.backend.Review;
import dev.exemplar.backend.Service;
import dev.exemplar.store.Store;
import dev.exemplar.summary.ImportsTheStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.stream.Stream;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The layers: the engine (image, features, summary, analysis, propagation) knows nothing around it; the store keeps
 * rows and knows neither the engine nor Label Studio; the Label Studio client speaks only Label Studio's API; the
 * backend's services join them behind one interface, which is all the server's routes see; the command line and the
 * Spark job are the outside. No package cycles.
 */
class LayersTest {
    static final String[] ENGINE = {"dev.exemplar.image..", "dev.exemplar.features..", "dev.exemplar.summary..",
            "dev.exemplar.analysis..", "dev.exemplar.propagation.."};
    static final String[] OUTSIDE_THE_ENGINE = {"dev.exemplar.store..", "dev.exemplar.labelstudio..",
            "dev.exemplar.backend..", "dev.exemplar.server..", "dev.exemplar.cli..", "dev.exemplar.report..",
            "dev.exemplar.config..", "dev.exemplar.fetch..", "dev.exemplar.spark.."};

    static final ArchRule ENGINE_IMPORTS_NOTHING_AROUND_IT = noClasses().that().resideInAnyPackage(ENGINE)
            .should().dependOnClassesThat().resideInAnyPackage(OUTSIDE_THE_ENGINE)
            .because("the engine runs the same offline, in the backend and on Spark");

    static final ArchRule STORE_KNOWS_NEITHER_ENGINE_NOR_LABEL_STUDIO = noClasses().that().resideInAPackage("dev.exemplar.store..")
            .should().dependOnClassesThat().resideInAnyPackage(concat(ENGINE, "dev.exemplar.labelstudio..",
                    "dev.exemplar.backend..", "dev.exemplar.server..", "dev.exemplar.cli..", "dev.exemplar.report.."));

    static final ArchRule CLIENT_SPEAKS_ONLY_LABEL_STUDIO = noClasses().that().resideInAPackage("dev.exemplar.labelstudio..")
            .should().dependOnClassesThat().resideInAnyPackage(concat(ENGINE, "dev.exemplar.store..",
                    "dev.exemplar.backend..", "dev.exemplar.server..", "dev.exemplar.cli..", "dev.exemplar.report.."));

    /** The server's routes see the backend's interface, its answers and its one exception; the rest is libraries. */
    private static final DescribedPredicate<JavaClass> WHAT_THE_SERVER_MAY_SEE = resideOutsideOfPackage("dev.exemplar..")
            .or(resideInAnyPackage("dev.exemplar.server..", "dev.exemplar.json..", "dev.exemplar.config.."))
            .or(belongToAnyOf(Service.class, Review.class, InvalidRequest.class));

    static final ArchRule SERVER_REACHES_BACKEND_THROUGH_ITS_INTERFACE = classes().that().resideInAPackage("dev.exemplar.server..")
            .should().onlyDependOnClassesThat(WHAT_THE_SERVER_MAY_SEE);

    static final ArchRule NO_CYCLES = slices().matching("dev.exemplar.(*)..").should().beFreeOfCycles();

    private static JavaClasses main;

    @BeforeAll
    static void importMain() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.exemplar");
    }

    @Test
    void theEngineImportsNothingAroundIt() {
        ENGINE_IMPORTS_NOTHING_AROUND_IT.check(main);
    }

    @Test
    void theStoreKnowsNeitherTheEngineNorLabelStudio() {
        STORE_KNOWS_NEITHER_ENGINE_NOR_LABEL_STUDIO.check(main);
    }

    @Test
    void theLabelStudioClientSpeaksOnlyLabelStudio() {
        CLIENT_SPEAKS_ONLY_LABEL_STUDIO.check(main);
    }

    /** Where images may come from is one policy, used by the command line and the Label Studio client; it uses neither. */
    @Test
    void theFetchPolicyStandsAlone() {
        noClasses().that().resideInAPackage("dev.exemplar.fetch..").should().dependOnClassesThat()
                .resideInAnyPackage(concat(ENGINE, "dev.exemplar.store..", "dev.exemplar.labelstudio..", "dev.exemplar.backend..",
                        "dev.exemplar.server..", "dev.exemplar.cli..", "dev.exemplar.report..", "dev.exemplar.config..",
                        "dev.exemplar.json.."))
                .check(main);
    }

    @Test
    void theServerReachesTheBackendOnlyThroughItsInterface() {
        SERVER_REACHES_BACKEND_THROUGH_ITS_INTERFACE.check(main);
    }

    @Test
    void noPackagesDependOnEachOther() {
        NO_CYCLES.check(main);
    }

    @Test
    void anEngineClassThatImportsTheStoreBreaksTheLayers() {
        JavaClasses offender = new ClassFileImporter().importClasses(ImportsTheStore.class, Store.class);
        assertThatThrownBy(() -> ENGINE_IMPORTS_NOTHING_AROUND_IT.check(offender))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(ImportsTheStore.class.getName())
                .hasMessageContaining(Store.class.getName());
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
