"""``python -m equipid.maintenance.lint > docs/lint.md``: the lint codes as Markdown."""

from equipid.maintenance.lint.report import codes_markdown

print(codes_markdown(), end="")
