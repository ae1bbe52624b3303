"""The motivating case, end to end on the bundled catalog (issue 3, item 6)."""

from equipid.engine.assess import assess

PALMYRA = {
    "id": "palmyra",
    "date": "2016-03-17",
    "location": {"name": "Palmyra", "country": "SY"},
    "observed": [
        "AK-74M with thermal sight and suppressor",
        "MIB",
        "metal detector",
        "Celox",
        "bat emblem",
        "telnyashka",
    ],
}


def test_palmyra_sof_or_pmc_kept_open(bundled) -> None:
    rec = assess(bundled, PALMYRA)
    groups = {g["affiliation"]: g["probability"] for g in rec["groups"]}
    assert groups["ru-sof"] + groups["ru-pmc"] >= 0.70
    assert max(r["probability"] for r in rec["ranking"]) <= 0.80
    assert not rec["unmatched"]


def test_palmyra_explanation_strong_and_weak(bundled) -> None:
    rec = assess(bundled, PALMYRA)
    ev = rec["evidence"]
    by_item: dict[str, float] = {}
    for e in ev:
        for it in e["items"]:
            by_item[it] = max(by_item.get(it, 0.0), abs(e["weight_db"]))
    strongest = max(ev, key=lambda e: abs(e["weight_db"]))
    assert "mib" in strongest["items"]
    assert by_item.get("telnyashka", 0.0) < by_item["mib"] / 2
    assert by_item.get("bat-emblem", 0.0) < by_item["mib"] / 2
