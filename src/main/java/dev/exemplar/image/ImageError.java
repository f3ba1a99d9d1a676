package dev.exemplar.image;

/** An image that cannot be used, with a message that says specifically why (shown to users per item). */
public final class ImageError extends Exception {
    public ImageError(String message) {
        super(message);
    }

    public ImageError(String message, Throwable cause) {
        super(message, cause);
    }
}
