package dev.exemplar.cli;

public final class Main {
    public static void main(String[] args) {
        System.out.println("exemplar");
    }
}
