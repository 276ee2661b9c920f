package io.triaready.spi;

import java.time.Instant;

/**
 * A file's metadata as {@code stat} sees it. {@code type} is one of file, directory, symlink, other.
 * {@code mode} is the permission bits (e.g. 0644 = 420).
 */
public record FileStat(String path, String type, int mode, long size, String owner, String group, Instant modified) {
    public String modeOctal() { return String.format("%04o", mode); }
}
