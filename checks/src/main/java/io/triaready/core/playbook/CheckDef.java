package io.triaready.core.playbook;

import java.time.Duration;
import java.util.List;

import io.triaready.core.expect.Expectation;
import io.triaready.spi.Probe;

/**
 * One check of a playbook, parsed and validated: what to observe ({@code type} + {@code probe}),
 * what to expect, how urgent it is and how it is scored. {@code timeout} is null when the run's
 * default applies. A {@code destructive} check would harm a production system (stop a database to
 * prove failover, say): it never runs unless the user passes {@code --destructive}.
 */
public record CheckDef(
        String id,
        Phase phase,
        String title,
        String description,
        String category,
        double weight,
        List<String> tags,
        List<String> dependsOn,
        Duration timeout,
        Retry retry,
        String fix,
        String type,
        Probe probe,
        Expectation expect,
        boolean destructive,
        String location) {

    public CheckDef {
        tags = List.copyOf(tags);
        dependsOn = List.copyOf(dependsOn);
    }
}
