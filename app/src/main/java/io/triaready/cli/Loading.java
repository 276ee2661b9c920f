package io.triaready.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.triaready.base.os.UserHome;
import io.triaready.base.secret.Secrets;
import io.triaready.base.yaml.Interpolator;
import io.triaready.base.yaml.Suggest;
import io.triaready.builtin.BuiltIns;
import io.triaready.checks.attest.Attestations;
import io.triaready.core.playbook.Playbook;
import io.triaready.core.playbook.PlaybookLoader;
import io.triaready.inventory.InventoryLoader;
import io.triaready.spi.HostSpec;
import io.triaready.spi.Target;

/** Resolves the options every command shares into a target and a playbook. */
final class Loading {
    static final String DEFAULT_PLAYBOOK = "playbook.yaml";

    private Loading() {}

    /** The inventory file to use: --inventory, ./targets.yaml, or $XDG_CONFIG_HOME/tria-ready/targets.yaml; null when none. */
    static Path inventoryPath(PlaybookOptions o) {
        if (o.inventory != null) {
            if (!Files.isRegularFile(o.inventory)) throw new UserError("--inventory " + o.inventory + ": no such file");
            return o.inventory;
        }
        Path local = Path.of("targets.yaml");
        if (Files.isRegularFile(local)) return local;
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path config = (xdg != null && !xdg.isBlank() ? Path.of(xdg) : UserHome.get().resolve(".config"))
                .resolve("tria-ready").resolve("targets.yaml");
        return Files.isRegularFile(config) ? config : null;
    }

    static Target target(PlaybookOptions o, Interpolator.External external, Secrets secrets) {
        return target(o, external, secrets, System::getenv);
    }

    /** The target, its {@code ${env:...}} read from {@code env} (the command's environment). */
    static Target target(PlaybookOptions o, Interpolator.External external, Secrets secrets, java.util.function.Function<String, String> env) {
        Path inv = inventoryPath(o);
        if (inv != null) return target(o, InventoryLoader.load(BuiltIns.hostConnectors(), inv, external, env, secrets, o.target), inv);
        if (!o.target.equals("local")) {
            throw new UserError("--target " + o.target + ": no inventory found (give --inventory FILE, or create ./targets.yaml)");
        }
        return withRunSettings(o, null, Target.local());
    }

    /** The target {@code o} names in an inventory already read from {@code inv}. */
    static Target target(PlaybookOptions o, InventoryLoader.Inventory inventory, Path inv) {
        Target target = inventory.target(o.target).orElseThrow(() -> new UserError("--target " + o.target + ": no such target in " + inv
                + Suggest.didYouMean(o.target, inventory.targets().keySet())
                + " (targets: " + String.join(", ", inventory.targets().keySet()) + (inventory.targets().containsKey("local") ? "" : ", local") + ")"));
        return withRunSettings(o, inv, target);
    }

    /** The attestations file as a variable, and --accept-new-host-keys on every host. */
    private static Target withRunSettings(PlaybookOptions o, Path inv, Target target) {
        Map<String, String> withFile = new HashMap<>(target.vars());
        withFile.put(Attestations.TARGET_VAR, attestationsFile(o, inv, target).toString());
        target = new Target(target.name(), target.hosts(), target.endpoints(), withFile);
        if (o.acceptNewHostKeys) {
            target = new Target(target.name(), target.hosts().stream().map(h -> {
                Map<String, Object> s = new HashMap<>(h.settings());
                s.put("accept_new_host_keys", true);
                return new HostSpec(h.name(), h.transport(), s);
            }).toList(), target.endpoints(), target.vars());
        }
        return target;
    }

    /**
     * The sign-offs file for a target, as an absolute path: {@code --attestations FILE}, else the
     * target's {@code vars: {tria.attestations: FILE}} in the inventory (relative to the inventory
     * file), else {@code ./attestations.yaml} (docs/reference/attest.md).
     */
    static Path attestationsFile(PlaybookOptions o, Path inventory, Target target) {
        if (o.attestations != null) return o.attestations.toAbsolutePath().normalize();
        String fromInventory = target == null ? null : target.vars().get(Attestations.TARGET_VAR);
        if (fromInventory != null && !fromInventory.isBlank()) {
            Path base = inventory == null ? Path.of("") : inventory.toAbsolutePath().getParent();
            return base.resolve(fromInventory).toAbsolutePath().normalize();
        }
        return Path.of(Attestations.DEFAULT_FILE).toAbsolutePath().normalize();
    }

    /**
     * The playbook for commands that look at it without running it (list, explain): secrets are not
     * needed, and the target's variables apply only when the user named a target.
     */
    static Playbook playbookToInspect(picocli.CommandLine.Model.CommandSpec spec, PlaybookOptions o) {
        Target target = spec.commandLine().getParseResult().hasMatchedOption("--target")
                ? target(o, Interpolator.External.PLACEHOLDER, new Secrets()) : Target.local();
        return playbook(o, PlaybookLoader.Options.forValidate(target, o.varMap()));
    }

    static Playbook playbook(PlaybookOptions o, PlaybookLoader.Options options) {
        String spec = o.playbook;
        if (spec == null) {
            if (Files.isRegularFile(Path.of(DEFAULT_PLAYBOOK))) spec = DEFAULT_PLAYBOOK;
            else throw new UserError("no playbook given: use --playbook NAME|PATH (bundled: " + String.join(", ", Bundled.names()) + ")");
        }
        return playbook(spec, options);
    }

    static Playbook playbook(String spec, PlaybookLoader.Options options) {
        PlaybookLoader loader = new PlaybookLoader(BuiltIns.checkTypes());
        Path path;
        try {
            path = Path.of(spec);
        } catch (java.nio.file.InvalidPathException e) { // a NUL in an @FILE line (found by CommandLineFuzzTest)
            throw new UserError("--playbook: not a file name (" + e.getReason() + ")");
        }
        if (Files.exists(path)) return loader.load(path, options);
        InputStream in = Bundled.open(spec);
        if (in != null) {
            try (in) {
                return loader.loadBundled(spec, in, options);
            } catch (IOException e) {
                throw new UserError("cannot read bundled playbook " + spec + ": " + e.getMessage());
            }
        }
        throw new UserError("--playbook " + spec + ": no such file, and no bundled playbook of that name" + Suggest.didYouMean(spec, Bundled.names())
                + " (bundled: " + String.join(", ", Bundled.names()) + ")");
    }
}
