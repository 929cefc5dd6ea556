#!/usr/bin/env python3
# Copyright (c) 2026 the esc authors. Distributed under the Boost Software License, Version 1.0.
"""Man pages and shell completion for the esc tool, made from its own --help text.

    python3 tools/make_docs.py --esc build/dev/esc --out build/dev/share

writes OUT/man/man1/esc.1 and esc-SUBCOMMAND.1 for each subcommand, OUT/bash-completion/esc
and OUT/zsh/_esc. Nothing is written by hand twice: what `esc SUBCOMMAND --help` says is
what the man page says, and the options it lists are what the shells complete.
"""

import argparse
import os
import re
import subprocess

COLUMN = 30  # where CLI11 starts an option's description


def help_text(esc, *args):
    env = dict(os.environ, LC_ALL="C.UTF-8")
    env.pop("COLUMNS", None)
    return subprocess.run([esc, *args, "--help"], stdout=subprocess.PIPE, check=True, env=env).stdout.decode()


def parse(text):
    """CLI11's help: description, usage, sections of entries (name, description), and the footer."""
    lines = text.rstrip("\n").split("\n")
    page = {"description": lines[0], "usage": "", "sections": {}, "footer": []}
    i = 1
    section = None
    while i < len(lines):
        line = lines[i]
        if line.startswith("Usage: "):
            page["usage"] = line[len("Usage: "):]
        elif re.match(r"^(Positionals|Options|Subcommands):$", line):
            section = line[:-1]
            page["sections"][section] = []
        elif line == "":
            if section is not None and i + 1 < len(lines) and not lines[i + 1].startswith("  ") \
                    and not re.match(r"^(Positionals|Options|Subcommands):$", lines[i + 1]):
                section = None
        elif section is not None and line.startswith("  "):
            body = line[2:]
            if line.startswith(" " * COLUMN) and page["sections"][section]:
                name, desc = page["sections"][section][-1]
                page["sections"][section][-1] = (name, (desc + " " + line.strip()).strip())
            else:
                m = re.match(r"^(\S.*?)(?:\s{2,}(.*))?$", body)
                page["sections"][section].append((m.group(1), (m.group(2) or "").strip()))
        else:
            section = None
            page["footer"].append(line)
        i += 1
    return page


def roff(text):
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return re.sub(r"^([.'])", r"\\&\1", text, flags=re.M)


def option_names(entry):
    """'-a,--attempts' -> ['-a', '--attempts']; '--top UINT:INT in [1 - 100000]=10' -> ['--top']."""
    head = entry.split(" ")[0]
    return [n for n in head.split(",") if n.startswith("-")]


def choices(entry):
    m = re.search(r":\{([^}]*)\}", entry)
    return m.group(1).split(",") if m else []


def takes_value(entry):
    return " " in entry.strip()


def man_page(name, page, version, subcommands=None):
    title = name.upper()
    out = [f'.TH {roff(title)} 1 "" "{roff(version)}" "esc manual"', ".SH NAME",
           f"{roff(name)} \\- {roff(page['description'].removeprefix('esc: '))}", ".SH SYNOPSIS",
           f".B {roff(page['usage'])}"]
    footer = page["footer"]
    examples = []
    if "Examples:" in footer:
        k = footer.index("Examples:")
        footer, examples = footer[:k], [l for l in footer[k + 1:] if l.strip()]
    elif any(l.startswith("Example: ") for l in footer):
        examples = [l[len("Example: "):] for l in footer if l.startswith("Example: ")]
        footer = [l for l in footer if not l.startswith("Example: ")]
    paragraphs = [p for p in "\n".join(footer).split("\n\n") if p.strip()]
    exit_status = [p for p in paragraphs if p.startswith("Exit status")]
    paragraphs = [p for p in paragraphs if not p.startswith("Exit status")]
    out.append(".SH DESCRIPTION")
    out.append(roff(page["description"].removeprefix("esc: ")))
    for p in paragraphs:
        out += [".PP", roff(p)]
    for section, heading in (("Positionals", "ARGUMENTS"), ("Options", "OPTIONS"), ("Subcommands", "COMMANDS")):
        entries = page["sections"].get(section, [])
        if not entries:
            continue
        out.append(f".SH {heading}")
        for entry, desc in entries:
            out += [".TP", f".B {roff(entry)}" if section != "Subcommands" else f".B esc {roff(entry)}", roff(desc)]
            if section == "Subcommands":
                out[-1] += f" See \\fBesc\\-{roff(entry)}\\fR(1)."
    if exit_status:
        out += [".SH EXIT STATUS", roff(exit_status[0].split("\n")[0])]
    if examples:
        out += [".SH EXAMPLES", ".nf"] + [roff(l.strip()) for l in examples] + [".fi"]
    see = ["esc(1)"] if subcommands is None else [f"esc-{s}(1)" for s in subcommands]
    out += [".SH SEE ALSO", roff(", ".join(see)) + "; the README of esc, and share/esc/esc-records.schema.json "
            "for the fields of the JSON records."]
    return "\n".join(out) + "\n"


def bash_completion(top, pages):
    subs = [s for s, _ in top["sections"]["Subcommands"]]
    lines = ["# bash completion for esc, made by tools/make_docs.py from esc --help.", "_esc() {",
             "    local cur prev sub i", "    cur=${COMP_WORDS[COMP_CWORD]}", "    prev=${COMP_WORDS[COMP_CWORD-1]}",
             "    sub=", "    for ((i = 1; i < COMP_CWORD; i++)); do", "        case ${COMP_WORDS[i]} in",
             f"            {'|'.join(subs)}) sub=${{COMP_WORDS[i]}}; break ;;", "        esac", "    done"]
    # Values of options with a fixed set of choices.
    lines.append("    case $prev in")
    for page in [top] + list(pages.values()):
        for entry, desc in page["sections"].get("Options", []):
            c = choices(entry)
            if c:
                lines.append(f"        {'|'.join(option_names(entry))}) COMPREPLY=($(compgen -W '{' '.join(c)}' -- \"$cur\")); return ;;")
            elif takes_value(entry) and "FILE" in entry:
                lines.append(f"        {'|'.join(option_names(entry))}) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;")
    lines.append("    esac")
    top_opts = " ".join(n for e, _ in top["sections"]["Options"] for n in option_names(e))
    lines += ["    if [[ -z $sub ]]; then", "        if [[ $cur == -* ]]; then",
              f"            COMPREPLY=($(compgen -W '{top_opts}' -- \"$cur\"))", "        else",
              f"            COMPREPLY=($(compgen -W '{' '.join(subs)}' -- \"$cur\"))", "        fi", "        return",
              "    fi", "    case $sub in"]
    for sub, page in pages.items():
        names = [n for e, _ in page["sections"].get("Options", []) for n in option_names(e)]
        names += [n for e, _ in top["sections"]["Options"] for n in option_names(e) if n not in names]
        opts = " ".join(names)
        files = bool(page["sections"].get("Positionals")) and sub not in ("explain", "help")
        words = " ".join(subs) if sub == "help" else ""
        lines += [f"        {sub})", "            if [[ $cur == -* ]]; then",
                  f"                COMPREPLY=($(compgen -W '{opts}' -- \"$cur\"))"]
        if files:
            lines += ["            else", "                COMPREPLY=($(compgen -f -- \"$cur\"))"]
        elif words:
            lines += ["            else", f"                COMPREPLY=($(compgen -W '{words}' -- \"$cur\"))"]
        lines += ["            fi", "            ;;"]
    lines += ["    esac", "}", "complete -o filenames -o bashdefault -F _esc esc", ""]
    return "\n".join(lines)


def zsh_quote(s):
    return s.replace("'", "'\\''").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:")


def zsh_completion(top, pages):
    subs = top["sections"]["Subcommands"]
    def specs(page):
        out = []
        for entry, desc in page["sections"].get("Options", []):
            names = option_names(entry)
            short = zsh_quote(desc.split(". ")[0][:70])
            value = ""
            if choices(entry):
                value = f":{entry.split()[1].split(':')[0].lower()}:({' '.join(choices(entry))})"
            elif takes_value(entry):
                value = ":value:_files" if "FILE" in entry else ":value:"
            group = "(" + " ".join(names) + ")" if len(names) > 1 else ""
            for n in names:
                out.append(f"'{group}{n}[{short}]{value}'")
        return out
    lines = ["#compdef esc", "# zsh completion for esc, made by tools/make_docs.py from esc --help.", "_esc() {",
             "    local -a subcommands", "    subcommands=("]
    lines += [f"        '{s}:{zsh_quote(d)}'" for s, d in subs]
    lines += ["    )", "    _arguments -C \\"]
    lines += [f"        {s} \\" for s in specs(top)]
    lines += ["        '1: :->sub' '*:: :->args'", "    case $state in",
              "        sub) _describe 'esc subcommand' subcommands ;;", "        args)", "            case $words[1] in"]
    for sub, page in pages.items():
        rest = "'*:file:_files'" if page["sections"].get("Positionals") and sub not in ("explain", "help") else \
            ("'1:subcommand:(" + " ".join(s for s, _ in subs) + ")'" if sub == "help" else "'*:argument:'")
        lines.append(f"                {sub}) _arguments {' '.join(specs(page))} {rest} ;;")
    lines += ["            esac", "            ;;", "    esac", "}", '_esc "$@"', ""]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--esc", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    version = subprocess.run([args.esc, "--version"], stdout=subprocess.PIPE, check=True).stdout.decode().strip()
    top = parse(help_text(args.esc))
    subs = [s for s, _ in top["sections"]["Subcommands"]]
    pages = {s: parse(help_text(args.esc, s)) for s in subs}
    man = os.path.join(args.out, "man", "man1")
    os.makedirs(man, exist_ok=True)
    with open(os.path.join(man, "esc.1"), "w") as f:
        f.write(man_page("esc", top, version, subs))
    for s, page in pages.items():
        with open(os.path.join(man, f"esc-{s}.1"), "w") as f:
            f.write(man_page(f"esc-{s}", page, version))
    for sub, name, text in (("bash-completion", "esc", bash_completion(top, pages)),
                            ("zsh", "_esc", zsh_completion(top, pages))):
        os.makedirs(os.path.join(args.out, sub), exist_ok=True)
        with open(os.path.join(args.out, sub, name), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
