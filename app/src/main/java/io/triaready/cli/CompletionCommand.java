package io.triaready.cli;

import java.util.concurrent.Callable;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Shell completion for every command and option, generated from the command tree itself. */
@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Print a completion script for bash or zsh.",
                "bash: source <(tria-ready completion bash)   (or save it under /etc/bash_completion.d/)",
                "zsh:  source <(tria-ready completion zsh)    (in ~/.zshrc)"})
public final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    String shell;

    @Override
    public Integer call() {
        String bash = AutoComplete.bash("tria-ready", spec.root().commandLine());
        String script = switch (shell) {
            case "bash" -> bash;
            // zsh runs the bash script through bashcompinit (the script also enables it itself when sourced by zsh)
            case "zsh" -> "#compdef tria-ready\nautoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n\n" + bash;
            default -> throw new UserError("completion: unknown shell '" + shell + "' (use bash or zsh)");
        };
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCodes.READY;
    }
}
