package io.triaready.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

/**
 * The packaged jar carries what its licences ask: our LICENSE, one NOTICE merging every dependency's
 * NOTICE (the shade plugin used to keep only the last one), and THIRD-PARTY-LICENSES.md with a row for
 * each library the jar bundles. A dependency added without a row fails here.
 */
class LicensesIT {
    private static final Path TARGET = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().resolve("target");

    @Test
    void everyBundledLibraryHasARowInTheThirdPartyList() throws Exception {
        String table = Files.readString(TARGET.resolve("../../THIRD-PARTY-LICENSES.md").normalize(), StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        int seen = 0;
        Matcher m = Pattern.compile("(?m)^\\s+([\\w.-]+):([\\w.-]+):jar:([\\w.-]+):(compile|runtime)").matcher(
                Files.readString(TARGET.resolve("runtime-dependencies.txt"), StandardCharsets.UTF_8));
        while (m.find()) {
            if (m.group(1).equals("io.triaready")) continue;
            seen++;
            String row = "| `" + m.group(1) + ":" + m.group(2) + "` | " + m.group(3) + " |";
            if (!table.contains(row)) missing.add(m.group(1) + ":" + m.group(2) + ":" + m.group(3));
        }
        assertThat(seen).as("dependencies listed by the build").isGreaterThan(10);
        assertThat(missing).as("bundled without a row (artifact, version) in THIRD-PARTY-LICENSES.md").isEmpty();
    }

    @Test
    void theJarCarriesLicenceNoticeAndTheThirdPartyList() throws Exception {
        try (ZipFile jar = new ZipFile(TARGET.resolve("tria-ready.jar").toFile())) {
            String license = read(jar, "META-INF/LICENSE");
            assertThat(license).contains("Apache License").contains("Version 2.0, January 2004");
            String notice = read(jar, "META-INF/NOTICE");
            assertThat(notice).contains("tria-ready").contains("Copyright 2026 The tria-ready authors")
                    .contains("Apache MINA SSHD")          // sshd-core
                    .contains("Jackson")                   // jackson-core / databind
                    .contains("Apache Commons Pool");      // commons-pool2's NOTICE.txt
            assertThat(read(jar, "META-INF/THIRD-PARTY-LICENSES.md")).contains("| `org.postgresql:postgresql` |");
        }
    }

    private static String read(ZipFile jar, String name) throws Exception {
        var entry = jar.getEntry(name);
        assertThat(entry).as(name).isNotNull();
        try (var in = jar.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
