package io.triaready.cli;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;

import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Interpolator;
import io.triaready.builtin.BuiltIns;
import io.triaready.core.playbook.CheckDef;
import io.triaready.core.playbook.FixDef;
import io.triaready.core.playbook.Playbook;
import io.triaready.core.playbook.PlaybookLoader;
import io.triaready.inventory.InventoryLoader;
import io.triaready.spi.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * The values the completion script asks for while the user types (hidden: {@code tria-ready __complete
 * KIND [-p PLAYBOOK] [-i INVENTORY]}): the targets of the inventory, the check ids, fix ids and tags of
 * the playbook, one a line. Nothing is contacted and no secret is read (placeholders stand in for
 * {@code ${env:}}); anything that cannot be read completes to nothing, silently, with exit 0.
 */
@Command(name = "__complete", hidden = true, description = "Values for shell completion.")
public final class CompleteCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "KIND", description = "targets, checks, fixes (fix ids and check ids), tags.")
    String kind;

    @Mixin
    PlaybookOptions playbook;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Set<String> out = new LinkedHashSet<>();
        try {
            switch (kind) {
                case "targets" -> {
                    out.add("local");
                    var path = Loading.inventoryPath(playbook);
                    if (path != null) {
                        out.addAll(InventoryLoader.load(BuiltIns.hostConnectors(), path, Interpolator.External.PLACEHOLDER, k -> null, new Secrets()).targets().keySet());
                    }
                }
                case "checks", "fixes", "tags" -> {
                    Playbook pb = Loading.playbook(playbook, PlaybookLoader.Options.forValidate(Target.local(), java.util.Map.of()));
                    if (kind.equals("fixes")) pb.fixes().stream().map(FixDef::id).forEach(out::add);
                    if (!kind.equals("tags")) pb.checks().stream().map(CheckDef::id).forEach(out::add);
                    else pb.checks().forEach(c -> out.addAll(c.tags()));
                }
                default -> { }
            }
        } catch (RuntimeException e) {
            // completion never prints an error into the user's command line
        }
        out.forEach(spec.commandLine().getOut()::println);
        spec.commandLine().getOut().flush();
        return ExitCodes.READY;
    }
}
