"""A day's worth of answers for the presenter's fitting test, seeded straight into the store.

Every kind and state the projector must fit: open text with 0, 3, 30 and 300 answers, a
themes summary, a word cloud of 300 phrases, a scale of 12 long statements (radar and
bars), choice and points with 20 options, Q&A with 60 questions, group work's plenary
with 8 groups of 12 points, the purpose poster's plenary with 8 groups' drafts of 6 points
with their dots and its common poster of 15 points, a break and a talk. The texts are
invented, in the lengths and the language a real day's answers have.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import make_facilitator, run
from workshop import agenda_toml
from workshop.app import kind_registry
from workshop.clock import Timer, now
from workshop.store import Store, Tx

ANSWERS = [
    "Bedre samarbeid på tvers av sektorene",
    "Tillit",
    "At innbyggerne opplever at vi henger sammen og snakker med én stemme, også når det er"
    " krevende å prioritere.",
    "Færre møter, mer tid til de ansatte",
    "Mot til å si nei til noe for å kunne si ja til det viktigste",
    "En felles forståelse av hva «vi skaper sammen» betyr i praksis for hver enkelt enhet,"
    " fra barnehagen til teknisk drift.",
    "Rekruttere og beholde fagfolk",
    "Tjenesteutviklingsprosessene må eies av dem som står i tjenestene hver dag",
    "Ærlige tilbakemeldinger – også oppover",
    "Økonomisk bærekraft uten å miste det menneskelige",
    "Lære av hverandre",
    "At vi som ledergruppe faktisk gjør det vi sier, og at det merkes ute i virksomhetene"
    " før neste samling.",
    "Digitalisering som gjør hverdagen enklere, ikke tyngre",
    "Mindre silo, mer helhet",
    "Rom for å prøve og feile",
    "Tydelige forventninger til hverandre som ledere",
    "Frivilligheten som partner, ikke bare som gratis arbeidskraft når budsjettet er stramt",
    "Gode overganger mellom tjenestene for dem som trenger flere av dem samtidig",
    "Stolthet over egen kommune",
    "Å bli kjent på tvers",
    "Bruke dataene vi har til å ta bedre beslutninger sammen",
    "Ledere som er synlige og tilgjengelige",
    "Ungdommens stemme i planarbeidet",
    "Heltidskultur",
    "En plan vi kan stå for om fem år, ikke bare til neste budsjett",
    "Sammen om de vanskelige sakene i stedet for hver for oss",
    "Nærvær",
    "Innovasjon i det små: hver uke, i hver enhet",
    "Å huske hvorfor vi valgte å jobbe i kommunen",
    "Kommunikasjon som når fram til alle, også dem som ikke leser nettsidene våre",
]

PHRASES = [
    "samarbeid",
    "tillit",
    "samskaping",
    "mot",
    "helhet",
    "innbyggeren i sentrum",
    "læring",
    "nærvær",
    "bærekraft",
    "fellesskap",
    "tydelighet",
    "åpenhet",
    "endring",
    "stolthet",
    "på tvers",
    "ærlighet",
    "tid",
    "kompetanse",
    "prøve og feile",
    "heltidskultur",
    "frivillighet",
    "glede",
    "ansvar",
    "rom for uenighet",
    "økonomi",
    "rekruttering",
    "digitalisering",
    "medvirkning",
    "lytte",
    "Fjellbygd 2030",
]

STATEMENTS = [
    "Jeg setter tydelige mål for enheten min og følger dem opp",
    "Jeg gir medarbeiderne mine tillit og rom til å ta egne beslutninger",
    "Jeg samarbeider godt med ledere i andre sektorer enn min egen",
    "Jeg tar de vanskelige samtalene når det trengs, også med egne ledere",
    "Jeg har god oversikt over økonomien i enheten og bruker den i planleggingen",
    "Jeg involverer innbyggere og brukere når tjenestene skal utvikles",
    "Jeg legger til rette for læring og kompetanseutvikling hos medarbeiderne",
    "Jeg er en synlig og tilgjengelig leder i hverdagen",
    "Jeg håndterer endringer på en måte som skaper trygghet i organisasjonen",
    "Jeg bruker digitale verktøy for å forenkle arbeidsprosessene i enheten",
    "Jeg ivaretar min egen helse og balanse mellom jobb og fritid",
    "Jeg formidler kommunens visjon og verdier slik at de gir mening for de ansatte",
]

OPTIONS = [
    "Rekruttering av sykepleiere",
    "Heltidskultur i helse og omsorg",
    "Tidlig innsats i barnehagene",
    "Digital hjemmeoppfølging",
    "Frivillighetsstrategi",
    "Boligpolitikk for unge",
    "Næringsutvikling i sentrum",
    "Klimatilpasning og overvann",
    "Kollektivtilbud på kveldstid",
    "Felles ledelsesprogram",
    "Samlokalisering av tjenestene",
    "Innbyggerdialog før budsjettet",
    "Skolebygg og vedlikehold",
    "Folkehelse og friluftsliv",
    "Integrering og språkopplæring",
    "Kulturhus og møteplasser",
    "Beredskap og krisehåndtering",
    "Interkommunalt samarbeid",
    "Bredbånd i grendene",
    "Lærlinger i alle virksomheter",
]

QUESTIONS = [
    "Når kommer den nye turnusordningen, og hvem har vært med på å lage den?",
    "Hvordan skal vi prioritere når budsjettet krymper neste år?",
    "Hva betyr samskaping for oss som jobber i teknisk drift?",
    "Får enhetene egne midler til utviklingsarbeid?",
    "Hvordan måler vi om programmet virker?",
    "Kan vi dele erfaringene fra nettverksgruppene med resten av organisasjonen?",
    "Hvem bestemmer hva som skal digitaliseres først?",
    "Hvordan involverer vi de ansatte som ikke er på samlingen i dag?",
    "Blir det flere samlinger enn de fire som er planlagt?",
    "Hva gjør vi med oppgavene som faller mellom to sektorer?",
]

GROUPS = [
    "Blåveis",
    "Fjellreven",
    "Gaukene",
    "Stjerneteamet",
    "Lauvsprett",
    "Nordavind",
    "Elvedalen",
    "Multebær",
]

POINTS = [
    "Felles mål på tvers av enhetene",
    "Involvere innbyggerne tidlig",
    "Dele kunnskap mellom sektorene",
    "Tydelig ansvar for oppfølging",
    "Tid til refleksjon i ledermøtene",
    "Prøve ut én ting før neste samling",
    "Bruke frivilligheten som ressurs",
    "Lytte mer enn vi snakker",
    "Gjøre det enkelt å ta kontakt på tvers",
    "Feire det som lykkes",
    "Være ærlige om det som er vanskelig",
    "Samme historie om hvor vi skal",
]

AGENDA = """samling_agenda = 1

[[item]]
title = "Velkommen til første samling"
duration = 15
kind = "talk"

[[item]]
title = "Ingen svar ennå"
duration = 10
kind = "exercise"
exercise = "open_text"
[item.settings]
question = "Hva er det aller viktigste kommunen bør oppnå de neste fire årene?"

[[item]]
title = "Tre svar"
duration = 10
kind = "exercise"
exercise = "open_text"
[item.settings]
question = "Hva tar du med deg fra i dag?"

[[item]]
title = "Tretti svar"
duration = 10
kind = "exercise"
exercise = "open_text"
[item.settings]
question = "Hva er det aller viktigste kommunen bør oppnå de neste fire årene?"

[[item]]
title = "Tre hundre svar"
duration = 10
kind = "exercise"
exercise = "open_text"
[item.settings]
question = "Hva er det aller viktigste kommunen bør oppnå de neste fire årene?"
answers_per_phone = 10

[[item]]
title = "Oppsummering"
duration = 10
kind = "exercise"
exercise = "open_text"
[item.settings]
question = "Hva skal til for at vi lykkes sammen?"

[[item]]
title = "Ordsky"
duration = 10
kind = "exercise"
exercise = "word_cloud"
[item.settings]
question = "Hvilke ord beskriver god ledelse i kommunen?"
entries_per_phone = 10

[[item]]
title = "Kompetansehjulet"
duration = 10
kind = "exercise"
exercise = "scale"
[item.settings]
question = "Vurder deg selv fra 1 til 5"
statements = {statements}
chart = "radar"

[[item]]
title = "Kompetansene i stolper"
duration = 10
kind = "exercise"
exercise = "scale"
[item.settings]
statements = {statements}
chart = "bars"

[[item]]
title = "Evaluering"
duration = 5
kind = "exercise"
exercise = "evaluation"
[item.settings]
question = "Alt i alt, hvordan var dagen?"
low_label = "Dårlig"
high_label = "Svært bra"
statements = ["Innholdet var relevant for meg som leder", "Vi fikk god tid til refleksjon"]
good_question = "Hva var bra, og hvorfor?"
better_question = "Hva kunne vært bedre, og hvordan?"

[[item]]
title = "Refleksjon"
duration = 15
kind = "exercise"
exercise = "reflection"
[item.settings]
intro = "Til første møte i nettverksgruppen: oppstart av aksjonslæringsprosjekt."
questions = {reflections}

[[item]]
title = "Valg"
duration = 10
kind = "exercise"
exercise = "choice"
[item.settings]
question = "Hva bør vi satse mest på?"
options = {options}

[[item]]
title = "Poeng"
duration = 10
kind = "exercise"
exercise = "points"
[item.settings]
question = "Fordel 100 poeng på det som er viktigst"
options = {options}

[[item]]
title = "Spørsmål til ledelsen"
duration = 10
kind = "exercise"
exercise = "qa"
[item.settings]
question = "Still spørsmål, og stem på dem du vil ha svar på"

[[item]]
title = "Samskaping"
duration = 28
kind = "exercise"
exercise = "group_work"
[item.settings]
task = "Kommune 3.0 – «vi skaper sammen». Hva betyr det for oss?"
questions = [
    "Hva legger dere i begrepet samskaping?",
    "Hva kan vi gjøre annerledes allerede i morgen?",
]
roles = [
    {{ name = "Leder og tidtaker", rule = "den laveste", keeps_list = false }},
    {{ name = "Sekretær", rule = "den med nyest bukse", keeps_list = true }},
]
[[item.settings.phases]]
name = "Individuell refleksjon"
minutes = 3
mode = "individual"
instructions = "Tenk gjennom spørsmålene hver for deg."
[[item.settings.phases]]
name = "Rekkefremlegg i gruppa"
minutes = 15
mode = "group"
instructions = "Én og én deler, sekretæren skriver ned."
[[item.settings.phases]]
name = "Plenum"
minutes = 10
mode = "plenary"
instructions = "Hver gruppe presenterer de viktigste punktene."

[[item]]
title = "Formålsplakaten"
duration = 45
kind = "exercise"
exercise = "poster"
[item.settings]
heading = "Formålsplakaten"
preamble = "Vår ledergruppe skal skape MERVERDI for organisasjonen og hvert medlem ved å:"
dots = 3

[[item]]
title = "Felles formålsplakat"
duration = 15
kind = "exercise"
exercise = "poster"
[item.settings]
heading = "Formålsplakaten"
preamble = "Vår ledergruppe skal skape MERVERDI for organisasjonen og hvert medlem ved å:"

[[item]]
title = "Pause"
duration = 15
kind = "break"

[[item]]
title = "Kommunedirektøren om veien videre"
duration = 30
kind = "talk"
"""

PHONES = 30
#: A reflection's questions, as many and as long as the facilitator may write them.
REFLECTIONS = [
    "Hva ønsker du skal kjennetegne ditt lederskap, for de ansatte, for politikerne og for"
    " innbyggerne du møter i tjenestene hver dag?",
    "Med utgangspunkt i modellen, hva tenker du er dine viktigste utviklingspunkter?",
    "Hva skal være den første aksjonen – det første du skal gjøre annerledes eller trene på?",
    "Når skal du trene?",
    "Hvordan skal du undersøke om du er på rett vei?",
    "Hvem i ledergruppen kan hjelpe deg, og hva vil du be dem om?",
    "Hva kan stå i veien, og hva gjør du da?",
    "Hva tar du med til nettverksgruppen?",
    "Hva vil du kunne fortelle på neste samling?",
    "Hva er det aller første steget i morgen tidlig?",
]


@dataclass
class Day:
    username: str
    password: str
    session_id: int
    #: Agenda items by title.
    items: dict[str, int]


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


def agenda() -> str:
    return AGENDA.format(
        statements=_toml_list(STATEMENTS),
        options=_toml_list(OPTIONS),
        reflections=_toml_list(REFLECTIONS),
    )


def seed(db_path: Path, username: str, password: str) -> Day:
    """The whole day in the store of a running server (before anyone opens the session)."""
    owner = make_facilitator(db_path, username, password)
    return run(_seed(db_path, owner, username, password))


async def _seed(db_path: Path, owner: int, username: str, password: str) -> Day:
    store = Store(db_path)
    await store.open()
    try:
        return await _fill(store, owner, username, password)
    finally:
        await store.close()


async def _fill(store: Store, owner: int, username: str, password: str) -> Day:
    # The presenter in the facilitator's English, as its texts are checked in English.
    programme = await store.programmes.create(
        owner, "Lederprogram 2027", "Fjellbygd kommune", language="en"
    )
    groups = [await store.groups.create(programme.id, name) for name in GROUPS]
    session = await store.programmes.create_session(
        programme.id, "Første samling", dt.date.today(), "Kommunestyresalen"
    )
    items_in = agenda_toml.load(agenda(), kind_registry(("exercises",)))
    await store.agenda.replace(session.id, items_in)
    phones = [
        await store.groups.join(session.id, f"Deltaker {n + 1}", groups[n % len(groups)].id)
        for n in range(PHONES)
    ]
    await store.live.start(session.id)
    items = {i.title: i.id for i in await store.agenda.items(session.id)}
    keys = itertools.count()

    async def answer(
        tx: Tx, item: int, phone: int, value: dict[str, object], group_id: int | None = None
    ) -> int:
        record = await store.responses.insert(
            tx,
            session_id=session.id,
            item_id=item,
            participant_id=phones[phone].id,
            idem_key=f"seed-{next(keys)}",
            value=value,
            limit=100,
            group_id=group_id,
        )
        assert record is not None
        return record.id

    async def go(tx: Tx, title: str) -> int:
        await store.live.go_to(tx, session.id, items[title])
        return items[title]

    async def texts(tx: Tx, title: str, count: int, highlighted: int = 0) -> list[int]:
        item = await go(tx, title)
        ids = [
            await answer(tx, item, n % PHONES, {"text": ANSWERS[n % len(ANSWERS)]})
            for n in range(count)
        ]
        for rid in ids[3 : 3 + highlighted * 7 : 7]:
            await store.responses.mark(tx, item, rid, highlighted=True)
        return ids

    # One transaction for the whole day: a commit is flushed to disk.
    async with store.transaction() as tx:
        await texts(tx, "Tre svar", 3, highlighted=1)
        await texts(tx, "Tretti svar", 30, highlighted=2)
        await texts(tx, "Tre hundre svar", 300, highlighted=3)
        summary = await texts(tx, "Oppsummering", 30)
        item = items["Oppsummering"]
        themes = [
            await store.responses.add_theme(tx, item, name)
            for name in ("Samarbeid på tvers", "Ledelse", "Innbyggerne", "Ressurser")
        ]
        for n, rid in enumerate(summary):
            await store.responses.mark(tx, item, rid, theme_id=themes[n % len(themes)].id)

        item = await go(tx, "Ordsky")
        for n in range(PHONES * 10):
            word = PHRASES[(n * 7 + n // PHONES) % len(PHRASES)]
            await answer(tx, item, n % PHONES, {"text": word if n % 3 else f"{word} {n}"})

        for title in ("Kompetansehjulet", "Kompetansene i stolper"):
            item = await go(tx, title)
            for n in range(PHONES):
                # Each statement has a level of its own, and the phones spread around it.
                ratings = [max(1, min(5, 1 + i % 5 + n % 3 - 1)) for i in range(len(STATEMENTS))]
                await answer(tx, item, n, {"ratings": ratings})

        item = await go(tx, "Evaluering")
        for n in range(PHONES):
            ratings = [max(1, min(5, 4 + n % 3 - 1 - i)) for i in range(3)]
            await answer(tx, item, n, {"part": "rating", "ratings": ratings})
            await answer(tx, item, n, {"part": "good", "text": ANSWERS[n % len(ANSWERS)]})
            better = ANSWERS[(n * 5 + 3) % len(ANSWERS)] if n % 2 else ""
            await answer(tx, item, n, {"part": "better", "text": better})

        item = await go(tx, "Refleksjon")
        for n in range(PHONES):
            await answer(
                tx, item, n, {"answers": [ANSWERS[(n + i) % len(ANSWERS)] for i in range(10)]}
            )

        item = await go(tx, "Valg")
        for n in range(PHONES):
            await answer(tx, item, n, {"choices": [(n * 7) % len(OPTIONS)]})
        item = await go(tx, "Poeng")
        for n in range(PHONES):
            points = [0] * len(OPTIONS)
            points[n % len(OPTIONS)], points[(n * 3 + 1) % len(OPTIONS)] = 60, 40
            await answer(tx, item, n, {"points": points})

        item = await go(tx, "Spørsmål til ledelsen")
        asked = [
            await answer(tx, item, n % PHONES, {"text": QUESTIONS[n % len(QUESTIONS)]})
            for n in range(60)
        ]
        for n, rid in enumerate(asked[:20]):
            for voter in range(n % 7 + 1):
                voter_id = phones[(n + voter + 1) % PHONES].id
                await store.responses.set_vote(tx, item, rid, voter_id, True)

        item = await go(tx, "Samskaping")
        for g, group in enumerate(groups):
            for p in range(12):
                await answer(tx, item, g, {"text": POINTS[(p + g) % len(POINTS)]}, group.id)
        # The plenary (the third phase) runs, with ten minutes left; so does the break.
        plenary = Timer(now() + dt.timedelta(minutes=10), None)
        await store.live.set_timer(tx, session.id, item, plenary, 2)
        # The poster's plenary: every group's draft (six long points), ordered by dots.
        item = await go(tx, "Formålsplakaten")
        for g, group in enumerate(groups):
            drafted = [
                await answer(tx, item, g, {"text": POINTS[(p * 3 + g) % len(POINTS)]}, group.id)
                for p in range(6)
            ]
            for n, rid in enumerate(drafted):
                for voter in range(n % 4):
                    voter_id = phones[(g + voter + 1) % PHONES].id
                    await store.responses.set_vote(tx, item, rid, voter_id, True)
        await store.live.set_timer(tx, session.id, item, plenary, 1)
        # The common poster on the screen: fifteen of the groups' points, long ones too.
        item = await go(tx, "Felles formålsplakat")
        common = [
            {
                "id": n,
                "text": POINTS[n % len(POINTS)]
                + (" – og " + POINTS[(n + 5) % len(POINTS)].lower() if n % 3 == 0 else ""),
                "from": [],
            }
            for n in range(15)
        ]
        await store.responses.set_curation(tx, item, {"common": common, "on_screen": True})
        pause = Timer(now() + dt.timedelta(minutes=15), None)
        await store.live.set_timer(tx, session.id, items["Pause"], pause)
        await go(tx, "Velkommen til første samling")
    return Day(username, password, session.id, items)
