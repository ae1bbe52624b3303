"""Lay a catalog's equipment and indicators out by domain (equipid/catalog/domains.py).

    python tools/catalog_layout.py [CATALOG_DIR]        # default: catalog/

Every record of ``CATALOG_DIR/equipment/*.yaml`` and ``CATALOG_DIR/indicators/*.yaml``
moves, with its own comments and in its old order, to
``equipment/<domain>.yaml`` or ``indicators/<domain>.yaml``. The notes written at
the head of the old files (calibration choices, what a batch covered) are kept,
by file, in ``CATALOG_DIR/NOTES.md``. Records already in their domain's file stay
where they are; running it again changes nothing. Run ``equipid catalog fmt``,
``lint`` and ``test`` after it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from equipid.catalog.domains import categories, domain_of_indicator, domain_of_item
from equipid.maintenance.fmt import canonicalize, dump, make_yaml


def _header(text: str) -> str:
    """The comment lines at the head of a file, before its first key."""
    lines = []
    for ln in text.splitlines():
        if ln.startswith("#"):
            lines.append(ln[1:].strip())
        elif ln.strip():
            break
    return "\n".join(lines).strip()


def main(root: Path) -> int:
    """Move the records and write the notes; print what moved."""
    y = make_yaml()
    docs: dict[Path, object] = {}
    notes: list[tuple[str, str]] = []
    for sub in ("equipment", "indicators"):
        for f in sorted((root / sub).glob("*.yaml")):
            text = f.read_text(encoding="utf-8")
            docs[f] = y.load(text)
            head = _header(text)
            if head and "(catalog layout by domain" not in head:
                notes.append((f"{sub}/{f.name}", head))
    equipment = [r for f, d in docs.items() if f.parent.name == "equipment" for r in d.get("equipment", [])]  # type: ignore[attr-defined]
    cat_of = categories(equipment)
    out: dict[Path, list[object]] = {}
    moved = 0
    for f, doc in docs.items():
        kind = f.parent.name
        for rec in doc.get(kind, []):  # type: ignore[attr-defined]
            dom = domain_of_item(str(rec["id"]), str(rec["category"])) if kind == "equipment" else domain_of_indicator(rec.get("when"), cat_of)
            target = root / kind / f"{dom}.yaml"
            out.setdefault(target, []).append(rec)
            moved += target != f
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    for f in docs:
        if f not in out:
            f.unlink()
    for target, recs in sorted(out.items()):
        kind = target.parent.name
        doc = CommentedMap([(kind, CommentedSeq(recs))])
        title = f"{kind.capitalize()}: {target.stem.replace('-', ' ')}"
        doc.yaml_set_start_comment(f"{title} (catalog layout by domain; notes of the older files in NOTES.md)")
        canonicalize(doc)
        target.write_text(dump(doc), encoding="utf-8")
    if notes:
        md = ["# Catalog notes", "",
              "Notes written at the head of catalog files before the catalog was laid out by domain",
              "(December 2026): the calibration choices and what each batch of records covered. The",
              "records themselves now live in `equipment/<domain>.yaml` and `indicators/<domain>.yaml`.", ""]
        old = (root / "NOTES.md").read_text(encoding="utf-8") if (root / "NOTES.md").exists() else ""
        for name, text in notes:
            if f"## {name}\n" in old:
                continue
            md += [f"## {name}", "", text, ""]
        (root / "NOTES.md").write_text((old.rstrip() + "\n\n" if old else "") + "\n".join(md if not old else md[6:]).rstrip() + "\n",
                                       encoding="utf-8")
    print(f"{moved} record(s) moved into {len(out)} file(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "catalog")))
