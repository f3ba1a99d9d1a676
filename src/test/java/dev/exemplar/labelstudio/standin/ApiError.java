package dev.exemplar.labelstudio.standin;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.UUID;

/**
 * An error answered in Label Studio's envelope:
 * {@code {"id": <uuid>, "status_code": N, "version": "...", "detail": "...", "exc_info": null}}
 * (plus {@code validation_errors} for 400s), which is what LS's custom DRF exception handler emits.
 */
final class ApiError extends RuntimeException {
    static final String VERSION = "1.23.0.dev0";

    final int status;
    final ObjectNode validationErrors;

    ApiError(int status, String detail) {
        this(status, detail, null);
    }

    ApiError(int status, String detail, ObjectNode validationErrors) {
        super(detail);
        this.status = status;
        this.validationErrors = validationErrors;
    }

    static ApiError notFound() { return new ApiError(404, "Not found."); }

    static ApiError validation(String field, String message) {
        ObjectNode errors = StandInState.object();
        errors.putArray(field).add(message);
        return new ApiError(400, "Validation error", errors);
    }

    ObjectNode body() {
        ObjectNode b = StandInState.object();
        b.put("id", UUID.randomUUID().toString());
        b.put("status_code", status);
        b.put("version", VERSION);
        b.put("detail", getMessage());
        b.putNull("exc_info");
        if (validationErrors != null) b.set("validation_errors", validationErrors);
        return b;
    }
}
