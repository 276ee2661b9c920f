package io.triaready.playbook;

import java.util.List;

/**
 * A remedy: ordered steps (or manual instructions), and the checks it repairs ({@code verify};
 * by default every check whose {@code fix} names it).
 */
public record FixDef(String id, String title, String manual, List<FixStep> steps, List<String> verify, String location) {
    public FixDef {
        steps = List.copyOf(steps);
        verify = List.copyOf(verify);
    }

    public boolean isManual() { return manual != null; }
}
