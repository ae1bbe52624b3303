"""Names of items that also name a place, a force or an everyday word: context decides in free text."""

from __future__ import annotations

from equipid.maintenance.lint.base import Issue, Severity, Validator, field_name
from equipid.normalize import fold, key

#: Everyday words (English, and Russian or Ukrainian in transliteration) that also name kit: in a caption
#: they are mostly meant in their ordinary sense ("used to tow the other", "Tigr battalion", "the grad").
COMMON_WORDS = frozenset("""
    a an and as at be by can do for from go he if in is it me my no not of on or so the to up us we
    all any are arm arms art bat bear big bird black blue boat box brave bull call cat chief cobra cold
    cross day dog eagle east fire flag fox free front ghost gold green grey guard hand hawk hit home
    hornet horse hunter iron jet king knight lion lynx man mark may mine moon night north owl patriot
    pioneer rain range red rock rose ship shot sky snake snow south spear spike star steel storm sun
    swift sword tiger tow track tree viper wasp west white wind wolf
    buk tor osa igla strela grad kub krug shmel kornet metis fagot konkurs tigr rys volk orlan lancet
    gvozdika akatsiya giatsint tyulpan pion uragan smerch tornado typhoon taifun pantsir vityaz sever
    vostok zapad yug tsentr luna tochka granat zastava bars vepr grom molot topol vikhr ataka
""".split())


class NameContextValidator(Validator):
    """Names of items that also name a place, a force or an everyday word: read by context in free text."""

    code = "name-in-context"
    severity = Severity.INFO
    description = "an alias scanned for in text also names a place, a force or a common word; context decides"

    def finalize(self) -> list[Issue]:
        """List every such alias with the context that tells the senses apart."""
        others: dict[str, list[str]] = {}
        for pl in self.ctx.cat.places:
            for n in (pl.name, *pl.aliases):
                others.setdefault(key(n), []).append(f"the place {pl.name} ({pl.country})")
        for a in self.ctx.cat.affiliations:
            others.setdefault(key(a.name), []).append(f"the force {a.id}")
        out: list[Issue] = []
        for e in self.ctx.cat.equipment:
            if e.category.value == "actor":
                continue  # a named force is meant to name its force
            quiet = {key(n) for n in e.not_in_text}
            for i, alias in enumerate((e.name, *e.aliases)):
                k = key(alias)
                if not k or k in quiet:
                    continue
                senses = list(dict.fromkeys(others.get(k, [])))
                if k in COMMON_WORDS or fold(alias) in COMMON_WORDS:
                    senses.append("a common word")
                if not senses:
                    continue
                sub = ("name",) if i == 0 else ("aliases", i - 1)
                out.append(self.issue(
                    self.ctx.at("equipment", e.id, *sub), field_name("equipment", e.id, sub),
                    f"{alias!r} names item {e.id!r} and also {' and '.join(senses)}; in free text the words "
                    f"around it decide (ship, BDK, landing ship, regiment, battalion, brigade, a hull number, "
                    f"village of, oblast): write such context in captions, or list it under not_in_text"))
        return out
