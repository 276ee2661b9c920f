package io.triaready.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The playbooks packaged into the jar under /playbooks/, listed in /playbooks/index.txt (no classpath scanning). */
public final class Bundled {
    private Bundled() {}

    public static List<String> names() {
        try (InputStream in = Bundled.class.getResourceAsStream("/playbooks/index.txt")) {
            if (in == null) return List.of();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The bundled playbook's YAML, or null. */
    public static InputStream open(String name) {
        if (!name.matches("[A-Za-z0-9._-]+")) return null;
        return Bundled.class.getResourceAsStream("/playbooks/" + name + ".yaml");
    }
}
