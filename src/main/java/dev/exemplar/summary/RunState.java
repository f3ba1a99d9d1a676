package dev.exemplar.summary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * What a run has computed so far, readable from any thread at any time: what a run that must stop still
 * writes. It holds names only, never features, so it can be written when the heap is exhausted.
 */
public final class RunState {
    /** Phases in which the order is known. */
    private enum Known { ITEMS_READING, ITEMS_READ, ORDERED }

    private final ConcurrentLinkedQueue<String> read = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Result.ItemError> errors = new ConcurrentLinkedQueue<>();
    /** Called as each phase starts; tests make a phase fail through it. */
    static volatile Consumer<String> enteringPhase = name -> { };

    private volatile String phase = "features";
    private volatile Known known = Known.ITEMS_READING;
    private volatile List<String> names = List.of();
    private volatile List<Result.ItemError> itemErrors = List.of();
    private volatile List<String> order = List.of();
    private volatile List<List<String>> duplicates = List.of();

    /** The phase the run is in. */
    public String phase() {
        return phase;
    }

    /** Progress that also notes the phase. */
    Progress tracking(Progress p) {
        return new Progress() {
            @Override
            public void phase(String name, long total) {
                phase = name;
                enteringPhase.accept(name);
                p.phase(name, total);
            }

            @Override
            public void advance(long steps) {
                p.advance(steps);
            }
        };
    }

    /** One item's outcome while the items are being read: null for a readable item, else why it is not. */
    void itemDone(String item, String error) {
        if (error == null) read.add(item);
        else errors.add(new Result.ItemError(item, error));
    }

    /** Every item is read: the readable ones in input order, and the others' errors. */
    void itemsRead(List<String> readable, List<Result.ItemError> failed) {
        names = List.copyOf(readable);
        itemErrors = List.copyOf(failed);
        known = Known.ITEMS_READ;
    }

    /** The order is known (copies last), and the duplicate groups. */
    void ordered(List<String> orderNames, List<List<String>> groups) {
        order = List.copyOf(orderNames);
        duplicates = List.copyOf(groups);
        known = Known.ORDERED;
    }

    /** How many items were read, and how many of them are unreadable. */
    public int readCount() {
        return known == Known.ITEMS_READING ? read.size() : names.size();
    }

    public int errorCount() {
        return known == Known.ITEMS_READING ? errors.size() : itemErrors.size();
    }

    /** Whether the order was computed before the run stopped. */
    public boolean ordered() {
        return known == Known.ORDERED;
    }

    /**
     * What is known now, marked partial with why the run stopped: the order once computed (no summary chosen,
     * no links), else the items read in the order they were given (while reading, in the order they were done).
     */
    public Result partial(String stopped) {
        Known k = known;
        List<Result.ItemError> failed = k == Known.ITEMS_READING ? new ArrayList<>(errors) : itemErrors;
        List<String> items = switch (k) {
            case ITEMS_READING -> new ArrayList<>(read);
            case ITEMS_READ -> names;
            case ORDERED -> order;
        };
        Map<String, List<Result.Link>> links = new LinkedHashMap<>();
        return new Result(items, 0, links, k == Known.ORDERED ? duplicates : List.of(), failed, true, stopped);
    }
}
