"""The charts inside the presenter's frame: at 1280×720 and 1920×1080 a word cloud of 300
phrases, a scale of 12 long statements (radar and bars) and choice and points with 20
options lie inside the results box and the window, no text of theirs is cut or lies over
another, the radar's statements are whole, the bars start at one line on one scale, and
the cloud is drawn with the very font its layout measured.

One server and one day for the module, seeded through the store (the longest texts the
settings allow, or near them); one presenter page that the facilitator's commands move
from item to item, its window resized for each size, the join code large (the room still
joining: the narrowest box) and in the corner. Screenshots go to test-artifacts/charts/.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PIL import ImageFont
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import (
    ROOT,
    LiveServer,
    PageProblems,
    assert_clean,
    log_in,
    new_context,
    watch,
)
from tests.conftest import make_facilitator, run
from workshop import agenda_toml, fonts
from workshop.app import kind_registry
from workshop.store import Store

SIZES = [(1280, 720), (1920, 1080)]
ARTIFACTS = ROOT / "test-artifacts" / "charts"
PHONES = 40

WORDS = [
    "samarbeid", "tillit", "samskaping", "mot", "helhet", "læring", "nærvær", "bærekraft",
    "fellesskap", "tydelighet", "åpenhet", "endring", "stolthet", "ærlighet", "kompetanse",
    "glede", "ansvar", "økonomi", "medvirkning", "lytte", "Grüße", "Köln", "Mädchen",
]  # fmt: skip
#: 300 phrases: a few sent by many, most by one (as a room writes them), up to 40 letters.
PHRASES = [
    WORDS[i % len(WORDS)]
    if i < len(WORDS)
    else f"{WORDS[i % len(WORDS)]} og {WORDS[(i * 7 + 3) % len(WORDS)]} på tvers {i}"[:40]
    for i in range(300)
]
STATEMENTS = [
    f"{n}. Jeg {what}, også når det er krevende, og jeg følger opp at det faktisk skjer i"
    " hverdagen hos medarbeiderne mine"
    for n, what in enumerate(
        [
            "setter tydelige mål for enheten",
            "gir medarbeiderne tillit og rom til å ta egne beslutninger",
            "samarbeider godt med ledere i andre sektorer enn min egen",
            "tar de vanskelige samtalene når det trengs",
            "bruker økonomien aktivt i planleggingen",
            "involverer innbyggere og brukere når tjenestene utvikles",
            "legger til rette for læring og kompetanseutvikling",
            "er synlig og tilgjengelig",
            "håndterer endringer slik at det skaper trygghet",
            "bruker digitale verktøy for å forenkle arbeidet",
            "ivaretar min egen helse og balansen mellom jobb og fritid",
            "formidler kommunens visjon og verdier så de gir mening",
        ],
        start=1,
    )
]
#: The eight competences of a competence wheel: short enough to stand at the spokes.
WHEEL = [
    "Strategisk ledelse",
    "Relasjonsledelse",
    "Endringsledelse",
    "Selvledelse",
    "Faglig ledelse",
    "Økonomistyring og ressursbruk",
    "Kommunikasjon",
    "Innovasjon",
]
OPTIONS = [
    "Tid",
    "Rekruttering og stabilisering av sykepleiere, vernepleiere og helsefagarbeidere i alle sonene",
    "Heltidskultur",
    "Tidlig innsats i barnehagene",
    "Digital hjemmeoppfølging av eldre som bor hjemme",
    "Frivillighetsstrategi",
    "Boligpolitikk for unge",
    "Næringsutvikling i sentrum og i grendene, med vekt på arbeidsplasser for ungdom",
    "Klimatilpasning",
    "Kollektivtilbud på kveldstid",
    "Felles ledelsesprogram",
    "Samlokalisering av tjenestene i et nytt helsehus",
    "Innbyggerdialog før budsjettet",
    "Skolebygg",
    "Folkehelse og friluftsliv",
    "Integrering og språkopplæring for nyankomne familier",
    "Kulturhus",
    "Beredskap",
    "Interkommunalt samarbeid om barnevern, PPT og legevakt",
    "Lærlinger",
]


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"


AGENDA = f"""samling_agenda = 1

[[item]]
title = "Ordsky"
duration = 10
kind = "exercise"
exercise = "word_cloud"
[item.settings]
question = "Hvilke ord beskriver god ledelse i kommunen?"
entries_per_phone = 10
max_length = 40

[[item]]
title = "Radar"
duration = 10
kind = "exercise"
exercise = "scale"
[item.settings]
question = "Vurder deg selv fra 1 til 5"
statements = {_toml_list(STATEMENTS)}
low_label = "Stemmer ikke"
high_label = "Stemmer helt"

[[item]]
title = "Hjulet"
duration = 10
kind = "exercise"
exercise = "scale"
[item.settings]
statements = {_toml_list(WHEEL)}

[[item]]
title = "Stolper"
duration = 10
kind = "exercise"
exercise = "scale"
[item.settings]
statements = {_toml_list(STATEMENTS)}
chart = "bars"

[[item]]
title = "Valg"
duration = 10
kind = "exercise"
exercise = "choice"
[item.settings]
question = "Hva bør vi satse mest på?"
options = {_toml_list(OPTIONS)}

[[item]]
title = "Poeng"
duration = 10
kind = "exercise"
exercise = "points"
[item.settings]
question = "Fordel 1000 poeng"
options = {_toml_list(OPTIONS)}
budget = 1000
"""


@dataclass
class Day:
    username: str
    password: str
    session_id: int
    items: dict[str, int]


async def _seed(store: Store, owner: int, username: str, password: str) -> Day:
    # The presenter in the facilitator's English, as its texts are checked in English.
    programme = await store.programmes.create(
        owner, "Lederprogram 2027", "Fjellbygd kommune", language="en"
    )
    session = await store.programmes.create_session(programme.id, "Samling", dt.date.today(), "")
    await store.agenda.replace(session.id, agenda_toml.load(AGENDA, kind_registry(("exercises",))))
    phones = [await store.groups.join(session.id, f"Deltaker {n}", None) for n in range(PHONES)]
    await store.live.start(session.id)
    items = {i.title: i.id for i in await store.agenda.items(session.id)}
    keys = itertools.count()
    async with store.transaction() as tx:

        async def answer(title: str, phone: int, value: dict[str, object]) -> None:
            await store.live.go_to(tx, session.id, items[title])
            await store.responses.insert(
                tx,
                session_id=session.id,
                item_id=items[title],
                participant_id=phones[phone].id,
                idem_key=f"seed-{next(keys)}",
                value=value,
                limit=100,
            )

        # 300 phrases from 400 entries: the first words sent by many, the rest once.
        sent = [p for i, p in enumerate(PHRASES[:20]) for _ in range(max(1, 100 // (i + 1) - 3))]
        for n, text in enumerate((sent + PHRASES)[: PHONES * 10]):
            await answer("Ordsky", n % PHONES, {"text": text})
        for title in ("Radar", "Hjulet", "Stolper"):
            for n in range(PHONES):
                ratings = [min(5, 1 + n * (i + 2) % 7 // 2 + i % 3) for i in range(12)]
                ratings = ratings[: len(WHEEL)] if title == "Hjulet" else ratings
                await answer(title, n, {"ratings": ratings})
        for n in range(PHONES):  # uneven, and two options nobody picks
            await answer("Valg", n, {"choices": [(n * n) % 18]})
            await answer("Poeng", n, {"points": _given(n)})
    return Day(username, password, session.id, items)


def seed(db_path: object, username: str, password: str) -> Day:
    owner = make_facilitator(db_path, username, password)  # type: ignore[arg-type]

    async def fill() -> Day:
        store = Store(db_path)  # type: ignore[arg-type]
        await store.open()
        try:
            return await _seed(store, owner, username, password)
        finally:
            await store.close()

    return run(fill())


# What is wrong with the chart in its box: the page scrolls; a text of the chart (HTML or
# SVG) is outside the window or the results box, cut by a box that clips it (an SVG, a
# fitted legend), or lies over another text of the chart.
MEASURE = """
(root) => {
  const W = innerWidth, H = innerHeight, problems = [];
  const page = document.scrollingElement;
  if (page.scrollHeight > H || page.scrollWidth > W) problems.push("the page scrolls");
  const chart = document.querySelector(root);
  if (!chart) return {problems: ["no chart: " + root], texts: 0};
  const box = document.getElementById("present-results").getBoundingClientRect();
  const view = {left: 0, top: 0, right: W, bottom: H};
  const inside = (r, b) => r.left >= b.left - 1 && r.right <= b.right + 1 &&
    r.top >= b.top - 1 && r.bottom <= b.bottom + 1;
  const pieces = [];
  const walker = document.createTreeWalker(chart, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.nodeValue.trim() || el.closest("title, [hidden], .fit-out")) continue;
    let rects;
    if (el instanceof SVGElement) rects = [el.getBoundingClientRect()];
    else {
      const range = document.createRange();
      range.selectNodeContents(node);
      rects = Array.from(range.getClientRects());
    }
    rects = rects.filter((r) => r.width > 0.5 && r.height > 0.5);
    const what = JSON.stringify(node.nodeValue.trim().slice(0, 40));
    for (const r of rects) {
      if (!inside(r, view)) problems.push("outside the window: " + what);
      if (!inside(r, box)) problems.push("outside the results box: " + what);
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        const style = getComputedStyle(up);
        const clips = up instanceof SVGSVGElement || style.overflowX !== "visible" ||
          style.overflowY !== "visible";
        if (clips && !inside(r, up.getBoundingClientRect())) {
          problems.push(`cut by ${up.tagName.toLowerCase()}.${up.getAttribute("class")}: ${what}`);
          break;
        }
      }
    }
    if (rects.length) pieces.push({el, node, rects, what});
  }
  const over = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  for (let i = 0; i < pieces.length; i++)
    for (let j = i + 1; j < pieces.length; j++) {
      const a = pieces[i], b = pieces[j];
      if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue;
      if (a.rects.some((r) => b.rects.some((s) => over(r, s))))
        problems.push(`overlap: ${a.what} and ${b.what}`);
    }
  const sizes = pieces.filter((p) => !(p.el instanceof SVGElement))
    .map((p) => parseFloat(getComputedStyle(p.el).fontSize));
  return {problems: [...new Set(problems)].slice(0, 20), texts: pieces.length,
          smallest: Math.min(...sizes)};
}
"""

# Each bar: where its fill starts, its track's width, its fill's width and what it counts.
BARS = """
([fills, counts]) => Array.from(document.querySelectorAll(fills)).map((fill, i) => {
  const track = fill.ownerSVGElement.getBoundingClientRect();
  const r = fill.getBoundingClientRect();
  const count = document.querySelectorAll(counts)[i];
  return {left: track.left, fill: r.left, track: track.width, width: r.width,
          count: Number(count.dataset.count || count.textContent.trim())};
})
"""

SETTLED = """
async () => {
  await document.fonts.ready;
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  return true;
}
"""


@dataclass
class Screen:
    server: LiveServer
    day: Day
    page: Page

    def post(self, path: str, form: dict[str, str]) -> None:
        headers = json.loads(self.page.get_attribute("body", "hx-headers") or "{}")
        url = f"{self.server.url}/sessions/{self.day.session_id}/live/{path}"
        answered = self.page.request.post(url, form=form, headers={**headers, "HX-Request": "true"})
        assert answered.status == 204, answered.text()

    def show(self, title: str, banner: str, size: tuple[int, int], ready: str) -> None:
        """The item on the screen, the join code so, the window this size; fitted."""
        if self.page.locator("#present-title").inner_text() != title:
            self.post("go", {"item_id": str(self.day.items[title])})
            expect(self.page.locator("#present-title")).to_have_text(title)
        self.post("switch", {"banner": banner})
        expect(self.page.locator("#join-banner")).to_have_class(f"join-banner join-{banner}")
        self.page.set_viewport_size({"width": size[0], "height": size[1]})
        expect(self.page.locator(ready).first).to_be_attached()
        expect(self.page.locator("#present")).to_have_attribute(
            "data-fitted", f"{size[0]}x{size[1]}"
        )
        self.page.evaluate(SETTLED)

    def measure(self, root: str, name: str) -> dict[str, object]:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
        found: dict[str, object] = self.page.evaluate(MEASURE, root)
        assert not found["problems"], found
        return found


@pytest.fixture(scope="module")
def day(server: LiveServer) -> Day:
    return seed(server.db_path, "charts", "charts password 1")


@pytest.fixture(scope="module")
def screen(browser: Browser, server: LiveServer, day: Day) -> Iterator[Screen]:
    context = new_context(browser, locale="en-GB", viewport={"width": 1280, "height": 720})
    problems = PageProblems()
    page = watch(context.new_page(), problems)
    log_in(page, server, day.username, day.password)
    page.goto(f"{server.url}/sessions/{day.session_id}/present")
    expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
    yield Screen(server, day, page)
    assert_clean(page, problems)
    context.close()


VIEWS = [
    pytest.param(size, banner, id=f"{size[0]}x{size[1]}-code-{banner}")
    for size in SIZES
    for banner in ("large", "corner")
]


@pytest.mark.parametrize(("size", "banner"), VIEWS)
def test_a_cloud_of_300_phrases_fits_whole_in_the_font_it_was_measured_with(
    screen: Screen, size: tuple[int, int], banner: str
) -> None:
    screen.show("Ordsky", banner, size, "svg.cloud text")
    page = screen.page
    found = screen.measure("#present-results .cloud-result", f"cloud-{size[0]}-{banner}")
    drawn = page.locator("svg.cloud text")
    assert drawn.count() >= 60, "most of the 150 phrases drawn are drawn"
    expect(page.locator("#present-counts")).to_have_text("400 entries · 40 phones")
    # The whole of the canvas is inside the box: the SVG scales to it.
    inside = page.evaluate(
        """() => {
          const svg = document.querySelector("svg.cloud").getBoundingClientRect();
          const box = document.getElementById("present-results").getBoundingClientRect();
          return svg.left >= box.left - 1 && svg.right <= box.right + 1 &&
            svg.top >= box.top - 1 && svg.bottom <= box.bottom + 1 && svg.width > 300;
        }"""
    )
    assert inside, found
    # The browser has the served font (a proportional one, with æøå äöü) and draws the cloud
    # with it; it measures a phrase as the layout did with the file.
    faces = page.evaluate(
        "Array.from(document.fonts).filter(f => f.family === 'Samling Cloud').map(f => f.status)"
    )
    assert faces == ["loaded"]
    family = page.evaluate("getComputedStyle(document.querySelector('svg.cloud text')).fontFamily")
    assert family.startswith('"Samling Cloud"')
    served = ImageFont.truetype(str(fonts.chart_font()), 100)
    for sample in ("Ærlighet på øya", "Grüße aus Köln", "iiii", "MMMM"):
        width = page.evaluate(
            """(text) => {
              const context = document.createElement("canvas").getContext("2d");
              context.font = '100px "Samling Cloud"';
              return context.measureText(text).width;
            }""",
            sample,
        )
        assert width == pytest.approx(served.getlength(sample), rel=0.005), sample


@pytest.mark.parametrize(("size", "banner"), VIEWS)
def test_a_radar_of_12_long_statements_numbers_its_spokes_and_keeps_every_statement_whole(
    screen: Screen, size: tuple[int, int], banner: str
) -> None:
    screen.show("Radar", banner, size, "svg.radar")
    page = screen.page
    found = screen.measure("#present-results .scale-result", f"radar-{size[0]}-{banner}")
    labels = page.locator("svg.radar .radar-label")
    expect(labels).to_have_text([str(n) for n in range(1, 13)])
    rows = page.locator(".scale-legend .scale-statement")
    expect(rows).to_have_text(
        [f"{n} {statement}" for n, statement in enumerate(STATEMENTS, start=1)]
    )
    assert "…" not in page.inner_text("#present-results")
    expect(page.locator("#present-counts")).to_have_text("40 phones have rated")
    # Readable for a text this long on a projector, and the radar as large as the box lets it.
    assert found["smallest"] >= 9 * size[1] / 720, found
    radar = page.evaluate(
        """() => [document.querySelector("svg.radar").getBoundingClientRect().height,
                  document.getElementById("present-results").getBoundingClientRect().height]"""
    )
    assert radar[0] >= 0.9 * radar[1], radar


@pytest.mark.parametrize(("size", "banner"), VIEWS)
def test_a_competence_wheel_stands_its_statements_at_the_spokes(
    screen: Screen, size: tuple[int, int], banner: str
) -> None:
    screen.show("Hjulet", banner, size, "svg.radar")
    page = screen.page
    screen.measure("#present-results .scale-result", f"wheel-{size[0]}-{banner}")
    # Each label is its statement, whole, on one line or more (its lines are tspans).
    labels = page.eval_on_selector_all(
        "svg.radar .radar-label",
        "labels => labels.map(l => Array.from(l.children).map(t => t.textContent).join(' '))",
    )
    assert labels == WHEEL
    expect(page.locator(".scale-legend .scale-statement")).to_have_text(WHEEL)


@pytest.mark.parametrize(("size", "banner"), VIEWS)
def test_scale_bars_start_at_one_line_on_one_scale(
    screen: Screen, size: tuple[int, int], banner: str
) -> None:
    screen.show("Stolper", banner, size, ".scale-bar rect")
    page = screen.page
    screen.measure("#present-results .scale-result", f"scale-bars-{size[0]}-{banner}")
    bars = page.evaluate(BARS, [".scale-bar rect", ".scale-mean"])
    assert len(bars) == 12
    assert max(b["fill"] for b in bars) - min(b["fill"] for b in bars) < 0.5
    assert max(b["track"] for b in bars) - min(b["track"] for b in bars) < 0.5
    for bar in bars:  # the mean's share of the top step (5), as shown (one decimal)
        assert bar["width"] / bar["track"] == pytest.approx(bar["count"] / 5, abs=0.011), bar
    expect(page.locator(".scale-legend .scale-statement")).to_have_text(STATEMENTS)


@pytest.mark.parametrize("kind", ["Valg", "Poeng"])
@pytest.mark.parametrize(("size", "banner"), VIEWS)
def test_choice_and_points_bars_start_at_one_line_on_one_scale(
    screen: Screen, size: tuple[int, int], banner: str, kind: str
) -> None:
    screen.show(kind, banner, size, ".bar-fill")
    page = screen.page
    found = screen.measure("#present-results .bars", f"{kind.lower()}-{size[0]}-{banner}")
    bars = page.evaluate(BARS, [".bars .bar-fill", ".bars .bar-value"])
    assert len(bars) == 20
    assert {round(b["left"], 1) for b in bars} == {round(bars[0]["left"], 1)}
    assert max(b["fill"] for b in bars) - min(b["fill"] for b in bars) < 0.5
    assert max(b["track"] for b in bars) - min(b["track"] for b in bars) < 0.5
    counted = [b for b in bars if b["count"]]
    scale = max(b["count"] for b in bars) / bars[0]["track"]
    for bar in counted:  # one scale: the same length per vote (or point) on every row
        assert bar["width"] * scale == pytest.approx(bar["count"], rel=0.01), bar
    assert any(not b["count"] and b["width"] < 0.5 for b in bars), "an option nobody chose"
    labels = page.locator(".bars .bar-label")
    expect(labels).to_have_text(
        OPTIONS if kind == "Valg" else sorted(OPTIONS, key=lambda o: -_points(OPTIONS.index(o)))
    )
    assert found["smallest"] >= 9 * size[1] / 720, found
    said = "40 votes" if kind == "Valg" else "40 phones have given points"
    expect(page.locator("#present-counts")).to_have_text(said)


def _given(phone: int) -> list[int]:
    """The points a seeded phone gave."""
    points = [0] * len(OPTIONS)
    points[phone % 17], points[(phone * 3) % 19] = 600, 400
    return points


def _points(option: int) -> int:
    """The points the seeded phones gave one option."""
    return sum(_given(n)[option] for n in range(PHONES))
