package dev.exemplar.image;

/** Run in a child JVM with a small heap: loads a PNG that declares 10^10 pixels and prints how it was refused. */
public final class PngBombMain {
    private PngBombMain() {
    }

    public static void main(String[] args) {
        try {
            ImageLoader.defaults().load(TestImages.pngDeclaring(100_000, 100_000), "bomb.png");
            System.out.println("decoded: the bomb was not refused");
            System.exit(1);
        } catch (ImageError e) {
            System.out.println("refused: " + e.getMessage());
        }
    }
}
