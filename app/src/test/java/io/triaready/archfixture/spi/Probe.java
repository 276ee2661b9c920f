package io.triaready.archfixture.spi;

public interface Probe {
    default String text() { return io.triaready.archfixture.base.Text.of(this); }
}
