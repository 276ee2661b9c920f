package io.triaready.spi;

import java.util.Optional;

/**
 * A file's metadata and the start of its content, fetched together: one remote command instead of
 * two for the common case of a small config file. {@code head} is null when the path is not a
 * readable regular file; {@code complete} when {@code head} is the whole content.
 */
public record FilePeek(Optional<FileStat> stat, String head, boolean complete) {
    /** How much content is fetched with the metadata: enough for unit files, crontabs, configs. */
    public static final int PEEK_BYTES = 64 * 1024;
}
