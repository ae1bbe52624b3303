"""The command-line reference, generated from the commands' own help: ``python -m equipid.cli.reference > docs/cli.md``.

A test regenerates it and fails when docs/cli.md is stale.
"""

from __future__ import annotations

import click

HEADER = """# Command-line reference

Generated from `--help` by `python -m equipid.cli.reference > docs/cli.md`; do not edit by hand.
A test fails when this page and the commands disagree.

## Shell completion

equipid completes commands, options and choices in bash, zsh and fish (click's completion):

```sh
eval "$(_EQUIPID_COMPLETE=bash_source equipid)"   # bash: add to ~/.bashrc
eval "$(_EQUIPID_COMPLETE=zsh_source equipid)"    # zsh: add to ~/.zshrc
_EQUIPID_COMPLETE=fish_source equipid > ~/.config/fish/completions/equipid.fish
```
"""


def _walk(cmd: click.Command, ctx: click.Context) -> list[click.Context]:
    out = [ctx]
    if isinstance(cmd, click.Group):
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                out += _walk(sub, click.Context(sub, info_name=name, parent=ctx, **sub.context_settings))
    return out


def render() -> str:
    """The whole reference as Markdown: one section per command, its help text verbatim."""
    from equipid.cli.main import cli

    parts = [HEADER]
    root = click.Context(cli, info_name="equipid", terminal_width=100, max_content_width=100, **cli.context_settings)
    for ctx in _walk(cli, root):
        parts.append(f"\n## `{ctx.command_path}`\n\n```text\n{ctx.command.get_help(ctx).rstrip()}\n```\n")
    return "".join(parts)


if __name__ == "__main__":
    print(render(), end="")
