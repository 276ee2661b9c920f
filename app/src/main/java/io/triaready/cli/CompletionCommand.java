package io.triaready.cli;


import io.triaready.report.Renderers;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Shell completion for every command and option, generated from the command tree itself. */
@Command(name = "completion",
        description = {"Print a completion script for bash or zsh.",
                "bash: source <(tria-ready completion bash)   (or save it under /etc/bash_completion.d/)",
                "zsh:  source <(tria-ready completion zsh)    (in ~/.zshrc)"})
public final class CompletionCommand extends Subcommand {
    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    String shell;

    /**
     * Values, not only names: picocli's script completes commands and options; this function, put in front
     * of it, completes what follows them. Phases, formats and bundled playbooks are known now and written
     * into the script; targets, check and fix ids and tags are asked of {@code tria-ready __complete}
     * with the -p/-i the command line has so far (a JVM start, ~0.3 s, only for those). Lists after
     * commas (--only a,b) complete their last item.
     */
    static String values() {
        String formats = String.join(" ", Renderers.builtins().formats());
        String bundled = String.join(" ", Bundled.names());
        return """

                # --- values (tria-ready's own; picocli's function above completes names) ---
                function _tria_ready_values() {
                  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} sub=${COMP_WORDS[1]}
                  local kind="" words="" prefix="" i
                  case $prev in
                    -p|--playbook) kind=playbook ;;
                    -t|--target) kind=targets ;;
                    --phase|--up-to) words="p0 p1 p2" ;;
                    -f|--format) words="%s" ;;
                    --tag) kind=tags ;;
                    --only|--skip) kind=checks ;;
                  esac
                  if [ -z "$kind$words" ] && [[ $cur != -* ]] && [ "$COMP_CWORD" -ge 2 ] && [[ $prev != -* ]]; then
                    case $sub in
                      explain|fix) kind=fixes ;;
                      attest) kind=checks ;;
                    esac
                  fi
                  [ -n "$kind$words" ] || { _complete_tria-ready "$@"; return $?; }
                  if [[ $cur == *,* ]]; then prefix=${cur%%,*},; cur=${cur##*,}; fi
                  if [ "$kind" = playbook ]; then
                    words="%s"
                  elif [ -n "$kind" ]; then
                    local args=()
                    for ((i = 1; i < COMP_CWORD; i++)); do
                      case ${COMP_WORDS[i]} in -p|--playbook|-i|--inventory) args+=("${COMP_WORDS[i]}" "${COMP_WORDS[i+1]}") ;; esac
                    done
                    words=$("${COMP_WORDS[0]}" __complete "$kind" "${args[@]}" 2>/dev/null)
                  fi
                  local IFS=$'\n'
                  COMPREPLY=( $(compgen -P "$prefix" -W "${words// /$'\n'}" -- "$cur") )
                  if [ "$kind" = playbook ]; then
                    type compopt &>/dev/null && compopt -o filenames
                    COMPREPLY+=( $(compgen -f -- "$cur") )
                  fi
                  return 0
                }
                complete -F _tria_ready_values -o default tria-ready
                """.formatted(formats, bundled);
    }

    @Override
    public Integer call() {
        String bash = AutoComplete.bash("tria-ready", spec.root().commandLine()) + values();
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
