"""Catalog lint: schema problems plus checks across records.

Checks are validator/issue pairs as in pySigma's ``sigma/validators``: each
validator (one module each, in :mod:`equipid.maintenance.lint.validators`) sees
every record through ``validate`` and the whole catalog through ``finalize``,
and returns issues with a code and a severity. Schema problems come from the
loader (which keeps going past a broken record), so a catalog that does not
load is linted all the same. Every code is listed by ``equipid catalog lint
--list`` and in docs/lint.md.
"""

from equipid.maintenance.lint.base import CATALOG_WIDE, Issue, LintContext, Severity, Validator
from equipid.maintenance.lint.report import FORMATS, all_codes, codes_markdown, format_codes, format_github, format_json, format_text
from equipid.maintenance.lint.run import LOADER_CODES, LintResult, catalog_root, lint, lint_new_file, lint_paths
from equipid.maintenance.lint.sources import host_problem, source_problem, url_problem
from equipid.maintenance.lint.validators import VALIDATORS
from equipid.maintenance.lint.validators.unused_items import condition_items, items_without_indicators, mentioned_items

__all__ = [
    "CATALOG_WIDE",
    "FORMATS",
    "LOADER_CODES",
    "VALIDATORS",
    "all_codes",
    "codes_markdown",
    "format_codes",
    "Issue",
    "LintContext",
    "LintResult",
    "Severity",
    "Validator",
    "catalog_root",
    "condition_items",
    "format_github",
    "format_json",
    "format_text",
    "host_problem",
    "items_without_indicators",
    "lint",
    "lint_new_file",
    "lint_paths",
    "mentioned_items",
    "source_problem",
    "url_problem",
]
