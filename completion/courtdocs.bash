# bash completion for courtdocs(1): the commands, then each command's
# options. Both are read from the program itself (`courtdocs help`,
# `courtdocs COMMAND --help`), so they always match the installed version.
# Installed to share/bash-completion/completions/courtdocs.

_courtdocs()
{
    local cur prev words cword
    _init_completion 2>/dev/null || {
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD-1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    }
    local prog=${words[0]}

    if [[ $cword -eq 1 ]]; then
        local cmds
        cmds=$("$prog" help 2>/dev/null |
               sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
        COMPREPLY=($(compgen -W "$cmds help --help --version" -- "$cur"))
        return
    fi

    local cmd=${words[1]}
    case $prev in
        --db|--records-only|--data|-o|--output|--file|--password-file)
            COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null
            return ;;
        --out|--template-dir)
            COMPREPLY=($(compgen -d -- "$cur")); compopt -o filenames 2>/dev/null
            return ;;
        --kind)
            case $cmd in
                note) COMPREPLY=($(compgen -W "supervisor-assessment recommendation
                        provider-view progress contact-attempt breach-statement" -- "$cur")) ;;
                facts) COMPREPLY=($(compgen -W "review breach psr" -- "$cur")) ;;
                batch) COMPREPLY=($(compgen -W "review breach" -- "$cur")) ;;
            esac
            return ;;
        --case|--date|--due|--month|--from|--to|--court|--team|--author|--password|\
        --cases|--seed|--as-of|--order-months|--volume|-j|--jobs|--date-of-run)
            return ;;
    esac

    if [[ $cmd == help ]]; then
        [[ $cword -eq 2 ]] && COMPREPLY=($(compgen -W "$("$prog" help 2>/dev/null |
               sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')" -- "$cur"))
        return
    fi
    if [[ $cur == -* ]]; then
        local opts
        opts=$("$prog" "$cmd" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u)
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur")); compopt -o filenames 2>/dev/null
}
complete -F _courtdocs courtdocs
