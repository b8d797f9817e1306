# Bash completion for gridrl: commands, each command's options, and the names a config can
# use (env types, presets and their aliases, algorithms, [experiment] keys, feature kinds).
#
# Names come from the program being completed (`gridrl help`, `gridrl COMMAND --help`,
# `gridrl list --names`), so they never go stale; only the few fixed choices of `gridrl
# plot`'s options are written here. Installed by `cmake --install` into
# share/bash-completion/completions/, where bash-completion finds it; without that package,
# `source completions/gridrl.bash`. It completes `gridrl` and any path ending in /gridrl
# (./build/gridrl) once registered: `complete -F _gridrl ./build/gridrl`.

# The words of `PROGRAM help`'s command table.
_gridrl_commands()
{
    "$1" help 2>/dev/null | sed -n '/^commands:/,/^$/{s/^  \([a-z][a-z]*\) .*/\1/p}'
}

# Every option a command's help names: -x and --long-name.
_gridrl_options()
{
    "$1" "$2" --help 2>/dev/null | grep -oE '(^|[ [|])--?[a-zA-Z][a-zA-Z-]*' |
        sed 's/^[ [|]//' | sort -u
}

# One name a line: `gridrl list --names SECTION`.
_gridrl_names()
{
    "$1" list --names "$2" 2>/dev/null
}

_gridrl()
{
    # Split the line ourselves: bash splits words at '=' and ':' (COMP_WORDBREAKS), which
    # would cut "agent.algorithm=q_" in two.
    local line=${COMP_LINE:0:COMP_POINT}
    local -a words
    read -r -a words <<<"$line"
    [[ $line =~ [[:space:]]$ ]] && words+=("")
    local n=${#words[@]}
    local cur=${words[n - 1]} prev=""
    ((n >= 2)) && prev=${words[n - 2]}
    local program=${words[0]}
    # The part of cur bash will replace: after its last '=' or ':', when those break words.
    local keep=""
    if [[ $COMP_WORDBREAKS == *=* && $cur == *[=:]* ]]; then
        keep=${cur%"${cur##*[=:]}"}
    fi
    local -a reply=()

    if ((n == 2)); then
        reply=($(compgen -W "$(_gridrl_commands "$program")" -- "$cur"))
        [[ $cur == -* ]] && reply=($(compgen -W "--help --version" -- "$cur"))
        COMPREPLY=("${reply[@]}")
        return
    fi
    local command=${words[1]}

    case $prev in
    -o | --out)
        COMPREPLY=($(compgen -d -- "$cur"))
        return
        ;;
    --format)
        COMPREPLY=($(compgen -W "png svg pdf" -- "$cur"))
        return
        ;;
    --what)
        # A comma list: complete its last item.
        local head=${cur%"${cur##*,}"}
        reply=($(compgen -W "curves steps updates grid sweep convergence surface all" -- "${cur##*,}"))
        COMPREPLY=("${reply[@]/#/$head}")
        return
        ;;
    --metric)
        local head=${cur%"${cur##*,}"}
        reply=($(compgen -W "return length value_rmse" -- "${cur##*,}"))
        COMPREPLY=("${reply[@]/#/$head}")
        return
        ;;
    --yscale)
        COMPREPLY=($(compgen -W "auto linear log" -- "$cur"))
        return
        ;;
    --stat)
        COMPREPLY=($(compgen -W "mean iqm" -- "$cur"))
        return
        ;;
    --bands)
        COMPREPLY=($(compgen -W "ci none" -- "$cur"))
        return
        ;;
    --color)
        COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
        return
        ;;
    -s | --set)
        # section.key=value: algorithm and preset values by name, keys of [experiment].
        case $cur in
        agent.algorithm=*)
            reply=($(compgen -P agent.algorithm= -W "$(_gridrl_names "$program" agents)" \
                -- "${cur#agent.algorithm=}"))
            ;;
        env.type=* | type=*)
            local key=${cur%%=*}=
            reply=($(compgen -P "$key" -W "$(_gridrl_names "$program" envs)" \
                -- "${cur#*=}"))
            ;;
        env.preset=* | preset=*)
            local key=${cur%%=*}=
            reply=($(compgen -P "$key" -W "$(_gridrl_names "$program" presets)" \
                -- "${cur#*=}"))
            ;;
        agent.features=* | features=*)
            local key=${cur%%=*}=
            reply=($(compgen -P "$key" -W "$(_gridrl_names "$program" features)" \
                -- "${cur#*=}"))
            ;;
        experiment.*)
            reply=($(compgen -P experiment. -S = -W "$(_gridrl_names "$program" experiment)" \
                -- "${cur#experiment.}"))
            ;;
        *)
            reply=($(compgen -W "experiment. env. agent. env.type= env.preset= agent.algorithm=" \
                -- "$cur"))
            ;;
        esac
        COMPREPLY=("${reply[@]#"$keep"}")
        [[ ${#reply[@]} == 1 && ${reply[0]} == *[.=] ]] && compopt -o nospace 2>/dev/null
        return
        ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_gridrl_options "$program" "$command")" -- "$cur"))
        return
    fi
    case $command in
    run)
        reply=($(compgen -f -X '!*.ini' -- "$cur") $(compgen -d -- "$cur"))
        ;;
    show)
        reply=($(compgen -W "$(_gridrl_names "$program" presets)" -- "$cur")
            $(compgen -f -X '!*.map' -- "$cur") $(compgen -f -X '!*.ini' -- "$cur")
            $(compgen -d -- "$cur"))
        ;;
    plot | merge)
        reply=($(compgen -d -- "$cur"))
        ;;
    list)
        reply=($(compgen -W "envs presets agents features experiment" -- "$cur"))
        ;;
    help)
        reply=($(compgen -W "$(_gridrl_commands "$program")" -- "$cur"))
        ;;
    bench)
        ((n == 3)) && reply=($(compgen -W "$("$program" bench 2>/dev/null |
            sed -n '/^benchmarks/,/^$/{s/^  \([a-z][a-z]*\) .*/\1/p}')" -- "$cur"))
        ;;
    esac
    COMPREPLY=("${reply[@]}")
}

complete -F _gridrl gridrl
