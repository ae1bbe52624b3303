"""Reading with roles: what part each named thing plays in a sighting.

A caption is not a list of kit. "A Ka-52 is shot down near Izium by troops
using a Piorun" names a helicopter that was *hit* and a launcher that was
*used*; only the second says who the subject is. Between parsing a sighting
and firing indicators, every mention (in ``text``, in an observed phrase, or
through its attributes) gets one role:

- ``fielded``: seen with, used by or worn by the subject (the default);
- ``target``: hit, destroyed, shot down or struck by the subject;
- ``captured``: taken from its owner (captured, seized, trophy, abandoned,
  prisoners): evidence of capture, weak evidence for owner and captor alike;
- ``attacker``: a named force that struck or took the subject's things
  ("destroyed by Ukrainian forces", "the rebels take them over"): the subject
  is its adversary, not it;
- ``opposed``: a named force the subject is said to fight ("against the
  Nusra Front", "fighting ISIS", "против ВСУ", "30 Ukrainian soldiers fire
  back"): the subject is its adversary, whatever else is in view;
- ``place``: ground held by a side (context, not kit);
- ``fired-from``: the ground fire came from;
- ``reported-by``: testimony (who says, and what they say);
- ``negated``: said not to be there ("no insignia", "not a T-90");
- ``other-sense``: the name is used for something else here (a landing
  ship named like a howitzer, a town named like a rifle).

The rules are cue words (English, Russian and Ukrainian, compared in the
folded, transliterated form every name is matched in) inside a window of a
few words on either side of a mention, never crossing a clause boundary.
Each mention looks at a bounded window, so reading is linear in the length
of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from equipid.normalize import fold

FIELDED, TARGET, CAPTURED, PLACE, FIRED_FROM, REPORTED, NEGATED, OTHER_SENSE, ATTACKER, OPPOSED, SELF = (
    "fielded", "target", "captured", "place", "fired-from", "reported-by", "negated", "other-sense", "attacker",
    "opposed", "self")
#: Every role, in the order the reading decides them (a mention takes the first that applies).
ROLES = (NEGATED, OTHER_SENSE, SELF, OPPOSED, ATTACKER, CAPTURED, TARGET, FIRED_FROM, REPORTED, PLACE, FIELDED)

#: A word put where a clause ends, so that windows stop there. It survives
#: folding as an ordinary word and names nothing in the catalog.
BREAK = "qqclausebreakqq"
#: A clause ends at a semicolon, a dash between spaces, a blank line, or a full stop (! ?) before a capital
#: letter or the end: "No. 71211" and "U.S. forces" go on.
_CLAUSE_RE = re.compile(r"(?<=\S);(?=\s|$)|(?<=\S)[.!?](?=\s+[\"'«“(]?[A-ZА-ЯЁІЇЄ]|\s*$)|\s[—–]\s|[\n\r]{2,}")
#: Words looked at on either side of a mention.
WINDOW = 6
#: Characters of scan form looked at on either side (a bound on the work per mention).
_SPAN = 160
#: Characters either side that surely hold the nearest WINDOW words' cues, or more (a quick first look).
_NEAR = 100


def mark_clauses(text: str) -> str:
    """``text`` with a :data:`BREAK` word at every clause end (full stop, semicolon, dash)."""
    return _CLAUSE_RE.sub(f" {BREAK} ", text)


def _folded(words: Iterable[str]) -> frozenset[str]:
    out: set[str] = set()
    for w in words:
        f = fold(w)
        if f:
            out.add(f)
    return frozenset(out)


# NOTE: cue lists hold English, Russian and Ukrainian words; they are folded
# (Cyrillic transliterated) once, so they compare with the scan form directly.
_NEG = _folded("""no not without non none never neither nor нет не без ні немає жодних""".split())
_SKIP_ART = _folded("""a an the any its their his her this that these those один одна تنظيم""".split())
_CAPTURED = _folded("""
    captured capture captures capturing seized seize seizes seizing trophy trophies booty abandoned abandon
    prisoner prisoners captive captives pow pows detained detainee detainees surrendered surrender taken
    захвачен захвачена захвачено захвачены захваченный захваченная захваченные захватили захватил трофей
    трофейный трофейная трофейные трофеи пленный пленные пленных плен пленили брошенный брошенная брошенные
    захоплений захоплена захоплено захоплені захопили трофейний трофейні полонений полонені полонених полон
    покинутий покинута кинутий
""".split())
#: Two-word capture cues: "taken from", "left behind", "new owners".
_CAPTURED2 = frozenset(tuple(fold(w).split()) for w in ("taken from", "left behind", "new owners", "new owner",
                                                         "changed hands", "taken prisoner"))
#: Verbs of striking as written after the thing struck ("is hit", "was shot down", "sinks").
_HIT_PART = _folded("""
    hit struck destroyed downed sunk sinks sank damaged disabled intercepted targeted shelled bombed crashes crashed
    burns burned burnt explodes exploded knocked shot wrecked eliminated neutralised neutralized
    уничтожен уничтожена уничтожено уничтожены подбит подбита подбиты сбит сбита сбиты поражен поражена потоплен
    знищено знищений знищена знищені підбито підбитий підбита збито збитий збита уражено уражений потоплено
""".split())
#: Verbs of taking, said just before the thing taken ("we took the helicopters"); after a name they say other things.
_TAKEN_BEFORE = _folded("took take takes taking grabbed grab overran overrun взяли забрали".split())
#: Verbs of striking as written before the thing struck ("shoots down a Ka-52", "firing on ... positions").
_HIT_ACTIVE = _folded("""
    hit hits hitting strikes striking struck destroy destroys destroying destroyed shoot shoots shooting
    down downs downed sink sinks sank damages damaged targets targeting targeted attacks
    attacking attacked fires firing fired shells shelling shelled bombs bombing bombed engage
    engages engaged ambushes ambushed knock knocks kill kills killing killed at on into against
    уничтожил уничтожили сбил сбили поразили поразил подбил подбили обстреляли атаковали ударили по
    знищили знищив збили збив уразили уразив підбили обстріляли атакували вдарили
    destruction shootdown знищення ураження уничтожение уничтожения поражение
    уничтожен уничтожена уничтожено уничтожены подбит подбита подбиты сбит сбита сбиты поражен поражена потоплен
    знищено знищений знищена знищені підбито підбитий підбита збито збитий збита уражено уражений потоплено
""".split())
#: Words of striking that alone, before a mention, make it a target only together with another of these
#: ("fired on", "shot down", "strike on"); "on", "at" and "into" say nothing alone.
_WEAK_ACTIVE = _folded("at on into against по down".split())
_AUX = _folded("""
    is was were been being be are has have had got gets reportedly later then apparently finally also
    allegedly quickly badly seriously reportedly first itself and
""".split())
#: Words for the kind of thing named, which may stand between a name and what happened to it.
_KIND = _folded("""tank tanks vehicle vehicles helicopter helicopters jet jets aircraft plane drone drones uav ship
                   launcher launchers system truck trucks apc ifv mrap howitzer gun boat
                   вертолет вертолета вертолёт вертолёта вертоліт вертольота вертольоту гелікоптер гелікоптера
                   самолет самолета літак літака танк танка танку бмп бтр корабль корабля корабель""".split())
_PASSIVE_NEXT = _folded("""by near over in on at after while off during outside when as""".split()) | {BREAK}
_BY = _folded("by using with from via".split())
_SPEECH = _folded("""
    says said say claims claimed claim reports reported report told tells stated states announces announced
    denies denied blames blamed accuses accused alleges alleged insists insisted admits admitted according
    publish publishes published posted posts releases released circulated circulates points pointed notes noted
    describes described recounts recounted recalls recalled writes wrote explains explained
    опубликовал опубликовали опубликовало опублікував опублікували оприлюднили
    заявил заявили заявила сообщил сообщили сообщила утверждает утверждают отрицает обвиняет
    заявив заявили заявила повідомив повідомили повідомила стверджує заперечує звинувачує
""".split())
#: Speech that contests what follows: what is blamed, denied or claimed is testimony, not a sighting.
_CONTESTED = _folded("""
    claims claimed claim blames blamed denies denied accuses accused alleges alleged insists insisted
    утверждает отрицает обвиняет обвинил обвинили стверджує заперечує звинувачує звинуватили
""".split())
_ACCORDING = frozenset(tuple(fold(w).split()) for w in ("according to", "по словам", "по данным", "за словами",
                                                         "за даними", "citing the", "quoted by"))
_FROM = _folded("from из с з від из-за".split())
_FIRE = _folded("""
    fire fired firing fires launched launch launches salvo salvos rockets rocket shells shelling artillery came
    originated direction mortar mortars missiles missile barrage shot
    огонь обстрел стреляли выпущены запущены вогонь обстріл стріляли випущені запущені
""".split())
_DIRECTION = _folded("""
    the east west north south eastern western northern southern north-east north-west south-east south-west
    northeast northwest southeast southwest side direction of ground areas area territory positions
""".split())
_SHIP = _folded("""
    ship ships bdk landing cruiser frigate corvette vessel vessels submarine boat boats tug hull
    flagship destroyer minesweeper korabl корабль корабля судно бдк крейсер фрегат корвет катер підводний
""".split())
_UNIT = _folded("""
    regiment regiments battalion battalions brigade brigades division divisions detachment squadron polk
    полк полка батальон батальона бригада бригады дивизия дивизии отряд полку батальйон бригади дивізія загін
""".split())
_PLACE_BEFORE = frozenset(tuple(fold(w).split()) for w in ("village of", "town of", "city of", "settlement of",
                                                            "outskirts of", "port of", "село", "селе", "поселок",
                                                            "місто", "селище", "город", "городе"))
_PLACE_AFTER = _folded("""oblast oblast' region district raion krai province governorate область району района районі
                          highway motorway trassa трасса трассе шоссе траса шосе""".split())
#: Words right after a name that make it an adjective of something else: "technical fault", "technical
#: specialists" ("support" is left out: "artillery support" is artillery).
_ABSTRACT_AFTER = _folded("""fault faults failure failures malfunction malfunctions problem problems issue issues
                             reasons difficulties error errors staff specialists expertise""".split())
#: First words of an observed entry that give the role of everything it names ("targets: ...").
_LABELS = {fold(w): TARGET for w in ("target", "targets", "цель", "цели", "ціль", "цілі")} | {
    fold(w): CAPTURED for w in ("captured", "trophy", "trophies", "captives", "трофей", "трофеи", "трофеї")}
#: A label in brackets at the end of an observed entry: "(target)", "(captured)", "(трофей)".
_END_LABEL_RE = re.compile(r"[(\[]\s*(\w+)\s*[)\]]\s*$")
#: Words before a named force that make it the holder of the ground ("held by the separatists").
_HELD_BY = frozenset(tuple(fold(w).split()) for w in (
    "held by", "controlled by", "occupied by", "control of", "hands of", "territory of",
    "под контролем", "контролем", "під контролем"))
#: Words after a named force that make the phrase its ground ("Islamic State positions").
_GROUND = _folded("""positions position lines trenches territory held controlled base bases outpost outposts
                     stronghold strongholds позиции позиций позиціях позиції территория територія база базу""".split())
#: Words that, as an attribute of an observed item, say it was struck ("burning", "damaged", "sunk").
_STRUCK = _HIT_PART - _folded("shot knocked".split()) | _folded("""burning ablaze smouldering smoking wreck wreckage
    wrecked горит горящий сгоревший палає згорілий""".split())
#: Verbs of taking as written after a named force that does it ("the rebels take them over"): present or past
#: active only, since "Russian soldiers captured near Shchastia" are the ones taken.
_TAKES = _folded("""
    take takes took taking seize seizes capture captures overrun overruns overran
    захватили захватывают затрофеили захопили захоплюють затрофеїли
""".split())
#: Verbs of striking as written after a named force that does it ("the rebels shot down a Su-25").
#: Present tense and Russian or Ukrainian active plural only: "two Russian soldiers killed" were the ones hit.
_STRIKES = _folded("""
    kill kills killing shoot shoots shooting destroy destroys destroying hits hitting fire fires firing attack attacks
    attacking shell shells shelling bomb bombs bombing engage engages ambush ambushes sink sinks strike strikes
    уничтожили сбили подбили поразили атаковали обстреляли знищили збили підбили уразили атакували обстріляли
""".split())
#: Word pairs before a formation or force the subject names as its own ("says he served in the 155th brigade",
#: "they say they are marines of", "introduces himself as commander of", "служил в").
_SELF = frozenset(tuple(fold(w).split()) for w in (
    "served in", "serves in", "serving in", "served with", "serves with", "serving with", "belongs to", "belonged to",
    "belong to", "himself as", "themselves as", "they are", "we are", "unit as", "служил в", "служит в", "служу в",
    "служили в", "служив у", "служить у", "служу у"))
_SELF_FIRST = frozenset(p[0] for p in _SELF)
#: Words before a named force the subject fights ("against the Nusra Front", "fighting ISIS", "против ВСУ").
_AGAINST = _folded("""against versus vs fighting fight fights fought battling battle battles combating combatting
                      против проти ضد""".split())
#: Words of a clash, and the "with" after them, before a named force the subject fights ("clashes with ISIS",
#: "в бою с боевиками", "اشتباكات مع").
_CLASH = _folded("""clash clashes clashed clashing battle battles firefight firefights skirmish skirmishes engagement
                    engagements war бой бою боях боестолкновении боестолкновениях столкновении столкновениях перестрелке
                    перестрелках бій боях зіткненні зіткненнях сутичці сутичках اشتباكات اشتباك معارك معركة مواجهات""".split())
_WITH = _folded("with с со з із مع".split())
#: Words between a thing taken and the force it was taken from ("captured from", "захваченный у", "غنمها من").
_FROM_OWNER = _folded("from у від من".split())
#: Verbs of attacking ground, and the words that point them at it ("advance on", "fire at", "assault against").
_ASSAULT = _folded("""advance advances advancing advanced assault assaults assaulting assaulted storm storms storming
                      stormed attack attacks attacking attacked push pushes pushing pushed fire fires firing fired
                      strike strikes striking shell shells shelling shelled charge charges charging waves wave
                      наступают наступали атакуют атаковали штурмуют штурмовали наступають атакують штурмують""".split())
_ONTO = _folded("on at against onto towards toward на по".split())
#: Words that join a list of named forces, and adverbs that may stand in it ("the Nusra Front and later ISIS").
_AND = _folded("and or и или та і або".split())
_THEN = _folded("later then also subsequently afterwards потом затем позже потім пізніше".split())
#: Words that make a list's head an ally, not a foe ("fighting alongside X and Y").
_ALONGSIDE = _folded("alongside with for beside besides among including together backed supported led вместе с разом".split())
#: Word pairs after a named force that answers the subject's fire ("30 Ukrainian soldiers fire back").
_ANSWERS = frozenset(tuple(fold(w).split()) for w in ("fire back", "fired back", "firing back", "fires back",
                                                       "returned fire", "return fire", "returns fire",
                                                       "returning fire", "shoot back", "shot back"))
#: Words of a flag or an emblem torn down, burned or trampled: the subject's enemy's ("pull down the Ukrainian flag
#: and set it alight", "a torn-down Russian tricolour").
_DESECRATED = _folded("""removed remove removes removing torn tore tear tears tearing ripped rip rips pulled pull pulls
    pulling burned burnt burning burns burn trampled trample tramples lowered desecrated
    сорвали сорван сожгли сожжён сожжен сняли растоптали зірвали зірваний спалили спалений зняли""".split())
#: Categories of flags and emblems, which the subject tears down when they are its enemy's.
_FLAG_CATS = frozenset({"flag", "insignia"})
#: Categories that name a force or a formation.
_NAMED_CATS = frozenset({"actor", "unit"})
#: Categories of things done, not things: never a target nor captured.
_NO_TARGET_CATS = frozenset({"tactic"})
#: Categories a name keeps whatever the words around it say of ships, units and towns.
_SHIP_CATS = frozenset({"vessel"})
_UNIT_CATS = frozenset({"actor", "unit"})
_PLACE_CATS = frozenset({"area", "actor", "unit"})


_CAPTURED2_FIRST = frozenset(p[0] for p in _CAPTURED2)
_ACCORDING_FIRST = frozenset(p[0] for p in _ACCORDING)
#: Every word that can make a role other than the default: a window without any of them is read at once.
_TRIGGERS = frozenset().union(
    _NEG, _CAPTURED, _CAPTURED2_FIRST, _HIT_PART, _HIT_ACTIVE - _WEAK_ACTIVE, _SPEECH, _CONTESTED, _ACCORDING_FIRST,
    _SHIP, _UNIT, (p[0] for p in _PLACE_BEFORE), _PLACE_AFTER, (p[0] for p in _HELD_BY), _GROUND, _TAKES, _AGAINST,
    _TAKEN_BEFORE, (p[0] for p in _ANSWERS), _CLASH, _SELF_FIRST, _DESECRATED, _ABSTRACT_AFTER)
#: The same for ground held by a side, which "from" may make the ground fire came from.
_PLACE_TRIGGERS = _TRIGGERS | _FROM


def end_label(phrase: str) -> str | None:
    """The role an observed entry gives all it names by a label in brackets at its end ("Su-25 crashing (target)")."""
    m = _END_LABEL_RE.search(phrase)
    return _LABELS.get(fold(m.group(1))) if m else None


class Reader:
    """Gives each mention a role from the words around it.

    ``category`` maps item ids to their catalog category; ``places`` are the
    items that name ground held by a side (category ``area``).
    """

    def __init__(self, category: dict[str, str]) -> None:
        self.category = category
        self.places = frozenset(i for i, c in category.items() if c == "area")

    def has_cues(self, form: str) -> bool:
        """Whether a text (scan form) holds any cue word at all; without one every mention takes its default role."""
        return not _PLACE_TRIGGERS.isdisjoint(form.split())

    def default(self, item: str) -> str:
        """The role of a mention with no cue near it: place for ground held by a side, else fielded."""
        return PLACE if item in self.places else FIELDED

    def roles_of(self, form: str, spans: list[tuple[str, int, int]]) -> Iterator[tuple[str, str]]:
        """(item, role) of each mention at ``spans`` (item, start, end; in order) in ``form``: each read with its
        neighbours as the bounds of its cue words (see :meth:`role_at`)."""
        ends = [0, *(en for _, _, en in spans)]
        starts = [*(st for _, st, _ in spans[1:]), None]
        for (iid, st, en), floor, ceil in zip(spans, ends, starts, strict=False):
            yield iid, self.role_at(form, iid, st, en, floor, ceil)

    def role_at(self, form: str, item: str, start: int, end: int, floor: int = 0, ceil: int | None = None) -> str:
        """The role of the mention of ``item`` at ``form[start:end]`` (a scan form with clause breaks).

        The cue words looked at lie between the previous mention's end
        (``floor``) and the next one's start (``ceil``): a cue belongs to the
        nearest name ("a captured T-90 and an MIB": the MIB was not captured).
        """
        # NOTE: first the few words either side: with no cue among them, the default role at once.
        trig = _PLACE_TRIGGERS if item in self.places else _TRIGGERS
        near = form[max(floor, start - _NEAR):start].split()
        listed = floor > 0 and bool(near) and set(near) <= _AND | _THEN | _SKIP_ART
        if trig.isdisjoint(near) and not listed and trig.isdisjoint(
                form[end:end + _NEAR if ceil is None else min(end + _NEAR, ceil)].split()):
            return PLACE if item in self.places else FIELDED
        lo = max(floor, start - _SPAN)
        before = form[lo:start].split()
        if before and lo > floor and lo > 0:
            before = before[1:]  # a word cut in two by the window
        if BREAK in before:
            before = before[len(before) - before[::-1].index(BREAK):]
        hi = min(end + _SPAN, len(form) if ceil is None else ceil)
        after = form[end:hi].split()
        if after and hi == end + _SPAN and hi < len(form):
            after = after[:-1]
        if BREAK in after:
            after = after[:after.index(BREAK)]
        wide = None
        if listed and before and set(before) <= _AND | _THEN | _SKIP_ART:
            # NOTE: the next name in a list ("the Nusra Front and later ISIS") may take the role of the list's head.
            wide = form[max(0, start - _SPAN):start].split()[1:]
            if BREAK in wide:
                wide = wide[len(wide) - wide[::-1].index(BREAK):]
        return self.role(item, before[-WINDOW * 2:], after[:WINDOW * 2], wide)

    def role(self, item: str, before: list[str], after: list[str], wide: list[str] | None = None) -> str:
        """The role of a mention of ``item`` given the words before it (nearest last) and after it.

        ``wide``: when only "and", "or" and the like stand between this mention and the one before, the words
        before both (a list's head may be "against" a force: so is the next in it).
        """
        near_b = before[-WINDOW:]
        near_a = after[:WINDOW]
        # NOTE: most mentions have no cue word near them at all: decided at once.
        trig = _PLACE_TRIGGERS if item in self.places else _TRIGGERS
        if trig.isdisjoint(near_b) and trig.isdisjoint(near_a) and (not wide or _AGAINST.isdisjoint(wide[-WINDOW:])):
            return PLACE if item in self.places else FIELDED
        cat = self.category.get(item, "")
        # negated: "no insignia", "not a T-90", "without the patch"
        for w in reversed(near_b[-3:]):
            if w in _NEG:
                return NEGATED
            if w not in _SKIP_ART:
                break
        # other-sense: a ship, unit or town named like the item
        if cat not in _SHIP_CATS and (not _SHIP.isdisjoint(near_b[-2:]) or (near_a[:1] and near_a[0] in _SHIP)):
            return OTHER_SENSE
        if cat not in _UNIT_CATS and near_a[:1] and near_a[0] in _UNIT:
            return OTHER_SENSE
        if near_a[:1] and near_a[0] in _ABSTRACT_AFTER:
            return OTHER_SENSE  # "a technical fault is suspected": not the pickup
        if cat not in _PLACE_CATS and (tuple(near_b[-2:]) in _PLACE_BEFORE or (near_b[-1:] and (near_b[-1],) in _PLACE_BEFORE)
                                       or (near_a[:1] and near_a[0] in _PLACE_AFTER)):
            return OTHER_SENSE
        if cat in _NO_TARGET_CATS:
            # NOTE: a tactic (a strike, a crossing) is something done, never a thing hit or taken.
            return REPORTED if _speaker(near_b, near_a) else FIELDED
        # self: a formation the subject names as its own ("says he served in the 155th brigade")
        if cat in _NAMED_CATS and _self_named(near_b):
            return SELF
        # place held by: "the city was held by the separatists", "under the control of the regime"
        if cat in _NAMED_CATS and (tuple(near_b[-2:]) in _HELD_BY or tuple(near_b[-3:-1]) in _HELD_BY
                               or (near_a[:1] and near_a[0] in _GROUND)):
            if near_a[:1] and near_a[0] in _GROUND and _assailed(near_b):
                return OPPOSED  # "advance in waves on Ukrainian positions": the subject fights who holds them
            return PLACE  # also "Islamic State positions", "separatist lines": their ground
        # opposed: a force the subject fights ("against the Nusra Front", "Ukrainian soldiers fire back")
        if cat in _NAMED_CATS and _opposed(wide[-WINDOW:] if wide else near_b, near_a):
            return OPPOSED
        # attacker: a force named as the one that struck or took ("destroyed by the rebels", "Ukrainian troops take them")
        if cat in _NAMED_CATS and _attacker(near_b, near_a):
            return ATTACKER
        # opposed ground: "advance in waves on Ukrainian positions" (fire on it is read below: the ground is a target)
        if item in self.places and _assailed(near_b) and (_HIT_ACTIVE - _WEAK_ACTIVE).isdisjoint(near_b[-5:]):
            return OPPOSED
        # opposed: a flag or emblem torn down or burned ("pull down the Ukrainian flag and set it alight")
        if cat in _FLAG_CATS and _desecrated(near_b, near_a):
            return OPPOSED
        # opposed: the force a thing was taken from ("a Humvee captured from Ukrainian troops", "трофей, захваченный у ВСУ")
        if cat in _NAMED_CATS and _taken_from(near_b) and "by" not in near_a[:5]:
            return OPPOSED  # unless the taker is named ("captured from IS fighters by Kurdish forces": IS's weapons)
        # captured: a capture cue on either side
        # NOTE: after the name, only the next three words: "the brigade's post, set up in an abandoned building".
        if not _CAPTURED.isdisjoint(near_b[-5:]) or not _CAPTURED.isdisjoint(near_a[:3]):
            return CAPTURED
        if not _TAKEN_BEFORE.isdisjoint(near_b[-3:]) and cat not in _NAMED_CATS:
            return CAPTURED  # "we took the helicopters and warplanes" (but "the jet took off": said after, not taken)
        if (not _CAPTURED2_FIRST.isdisjoint(near_b) and _has_pair(near_b, _CAPTURED2)) or (
                not _CAPTURED2_FIRST.isdisjoint(near_a) and _has_pair(near_a, _CAPTURED2)):
            return CAPTURED
        # target, passive: "Ka-52 is shot down", "the ship sinks", "hit by a Neptune" (said of what comes before)
        for j, w in enumerate(near_a[:5]):
            if w in _BY or w in _SPEECH:
                break
            if w in _HIT_PART:
                nxt = near_a[j + 1] if j + 1 < len(near_a) else BREAK
                if nxt in ("down", "out"):
                    nxt = near_a[j + 2] if j + 2 < len(near_a) else BREAK
                if w == "shot" and near_a[j + 1:j + 2] != ["down"]:
                    continue  # "a VOG-17 shot": a round, not a thing shot at
                lead = all(x in _KIND for x in near_a[:j])  # "T-90M tank destroyed near ...": the kind of thing first
                if (j > 0 and near_a[j - 1] in _AUX) or (lead and nxt in _PASSIVE_NEXT):
                    return TARGET
        # target, active: "shoots down a Ka-52", "firing on opposition positions"; not past an agent ("by", "using")
        strong = False
        for w in reversed(near_b[-5:]):
            if w in _BY:
                break
            if w in _HIT_ACTIVE and w not in _WEAK_ACTIVE:
                strong = True
                break
        if strong:
            return TARGET
        # fired from: "came from the east, from separatist-held ground" (said of the ground)
        if item in self.places:
            for k in range(len(near_b) - 1, max(-1, len(near_b) - 5), -1):
                w = near_b[k]
                if w in _FROM:
                    if any(x in _FIRE for x in before[max(0, len(before) - len(near_b) + k - 8):len(before) - len(near_b) + k]):
                        return FIRED_FROM
                    break
                if w not in _DIRECTION and w not in _SKIP_ART:
                    break
        # reported by: the source of testimony ("X says", "according to X"), and what is blamed, denied or claimed
        if _speaker(near_b, near_a):
            return REPORTED
        return PLACE if item in self.places else FIELDED

    def role_in_entry(self, item: str, form: str, span: tuple[int, int, int, int | None] | None,
                      attributes: list[str]) -> str:
        """The role of ``item`` named by an observed entry: its phrase ``form`` (scan form) and its attributes' cues.

        ``span`` is where the item is named in the phrase, with the bounds of its cue words (see
        :meth:`role_at`; None: the phrase as a whole names it).
        """
        label = form.split(None, 1)[:1]
        if label and label[0] in _LABELS:
            # NOTE: an entry written as "targets: RSF technicals ..." or "captured: ..." speaks of all it names.
            return _LABELS[label[0]]
        if span is not None:
            role = self.role_at(form, item, *span)
        else:
            role = PLACE if item in self.places else FIELDED
        if role not in (FIELDED, PLACE) or not attributes:
            return role
        flag = self.category.get(item, "") in _FLAG_CATS
        for attr in attributes:
            words = fold(attr).split()
            if flag and not _DESECRATED.isdisjoint(words):
                return OPPOSED  # a flag "torn down", "burned": the subject's enemy's
            if any(w in _CAPTURED for w in words) or _has_pair(words, _CAPTURED2):
                return CAPTURED
            if "target" in words or "targets" in words or _hit_said(words) or not _STRUCK.isdisjoint(words):
                return TARGET
        return role


def _speaker(before: list[str], after: list[str]) -> bool:
    """A mention that gives testimony ("X says", "according to X") or is what testimony contests ("blames X")."""
    if not _SPEECH.isdisjoint(after[:3]):
        return True
    tail = before[-4:]
    if not _ACCORDING_FIRST.isdisjoint(tail) and any(pair in _ACCORDING for pair in zip(tail, tail[1:], strict=False)):
        return True
    return not _CONTESTED.isdisjoint(before[-WINDOW:])


def _attacker(before: list[str], after: list[str]) -> bool:
    """A named force that struck or took something: the agent after "destroyed by", "captured by", or the
    subject of "take", "seize" ("the rebels take them over")."""
    tail = before[-3:]
    for k in range(len(tail) - 1, -1, -1):
        w = tail[k]
        if w == "by":
            cue = before[max(0, len(before) - len(tail) + k - 4):len(before) - len(tail) + k]
            return not (_HIT_PART.isdisjoint(cue) and _CAPTURED.isdisjoint(cue))
        if w not in _SKIP_ART:
            break
    return not _TAKES.isdisjoint(after[:2]) or not _STRIKES.isdisjoint(after[:2])


def _opposed(before: list[str], after: list[str]) -> bool:
    """A named force the subject fights: after "against" or "fighting" (articles skipped), or the next in a list
    that follows one ("against the Nusra Front and later ISIS"), or answering fire."""
    for k in range(len(before) - 1, max(-1, len(before) - 4), -1):
        w = before[k]
        if w in _AGAINST:
            return True
        if w in _WITH and k > 0 and before[k - 1] in _CLASH:
            return True  # "clashes with ISIS", "в бою с ВСУ"
        if w in _AND:
            # NOTE: the list's head must itself follow "against": "fighting alongside X and Y" fights neither.
            for x in reversed(before[max(0, k - 6):k]):
                if x in _AGAINST:
                    return True
                if x in _ALONGSIDE:
                    return False
            return False
        if w not in _SKIP_ART and w not in _THEN:
            break
    # NOTE: "fire back" may follow the force's kind of men: "30 Ukrainian soldiers fire back".
    return _has_pair(after[:4], _ANSWERS)


def _desecrated(before: list[str], after: list[str]) -> bool:
    """A flag said to be torn down or burned, in its own part of a list ("the Russian flag was lowered and the
    Ukrainian flag raised": only the Russian one)."""
    near = before[-4:]
    for k in range(len(near) - 1, -1, -1):
        if near[k] in _AND:
            near = near[k + 1:]
            break
    later = after[:4]
    for k, w in enumerate(later):
        if w in _AND:
            later = later[:k]
            break
    return not _DESECRATED.isdisjoint(near) or not _DESECRATED.isdisjoint(later)


def _self_named(before: list[str]) -> bool:
    """A formation named after "served in", "say they are" and the like, with nothing of taking or fighting between."""
    tail = before[-6:]
    for k in range(len(tail) - 2, -1, -1):
        if tail[k] in _SELF_FIRST and (tail[k], tail[k + 1]) in _SELF:
            between = tail[k + 2:]
            # NOTE: "Moscow claims they are Ukrainian saboteurs" is another's claim about the subject, not its own word.
            return (_AGAINST.isdisjoint(between) and _CAPTURED.isdisjoint(between) and _NEG.isdisjoint(between)
                    and _CONTESTED.isdisjoint(before[-WINDOW - 2:]))
    return False


def _taken_from(before: list[str]) -> bool:
    """A named force after "captured from", "taken from", "seized from" (articles skipped): the one the subject took
    the thing from."""
    for k in range(len(before) - 1, max(-1, len(before) - 4), -1):
        w = before[k]
        if w in _FROM_OWNER:
            cue = before[max(0, k - 3):k]
            return not _CAPTURED.isdisjoint(cue) or not _TAKEN_BEFORE.isdisjoint(cue)
        if w not in _SKIP_ART:
            return False
    return False


def _assailed(before: list[str]) -> bool:
    """Ground named after an assault on it: "on", "against" or "at" after a verb of attacking ("advance in waves
    on", "firing at", "assault against"), a few words back."""
    for k in range(len(before) - 1, max(-1, len(before) - 3), -1):
        if before[k] in _ONTO:
            return not _ASSAULT.isdisjoint(before[max(0, k - 4):k])
        if before[k] not in _SKIP_ART:
            return False
    return False


def _has_pair(words: list[str], pairs: frozenset[tuple[str, ...]]) -> bool:
    return any((a, b) in pairs for a, b in zip(words, words[1:], strict=False))


def _hit_said(words: list[str]) -> bool:
    """An attribute that says the thing was struck: "shot down", "hit by ...", "sunk by ..."."""
    for a, b in zip(words, words[1:], strict=False):
        if a in _HIT_PART and b in ("down", "by"):
            return True
    return False
