"""axe-core in a Playwright page: every WCAG 2.0, 2.1 and 2.2 A and AA rule, target-size too.

axe-core is pinned in package.json (node_modules/axe-core, installed by `npm ci`). The
app's Content-Security-Policy allows no inline script, so the library is not added as a
script element: its source is evaluated through the browser's debugging protocol, which
the page's policy does not govern, and nothing the page itself may run changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from playwright.sync_api import Page

from tests.browser.conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_RUN = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags},
    rules: {'target-size': {enabled: true}},
    resultTypes: ['violations'],
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary || ''})),
  }));
}"""


@dataclass(frozen=True)
class Allowed:
    """A reviewed exception: this rule on the node this selector names, and why."""

    rule: str
    target: str
    reason: str


@cache
def _source() -> str:
    if not AXE.exists():
        raise FileNotFoundError(f"{AXE} is missing: run `npm ci`")
    return AXE.read_text("utf-8")


def violations(page: Page) -> list[dict[str, Any]]:
    """Run axe on the page as it is now; its violations, each with its nodes."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_source())
    found: list[dict[str, Any]] = page.evaluate(_RUN, TAGS)
    return found


def problems(page: Page, what: str, allowed: tuple[Allowed, ...] = ()) -> list[str]:
    """The violations on this page in words, except the reviewed ones listed (rule + exact
    target); empty when there are none."""
    found = []
    for violation in violations(page):
        nodes = [
            node
            for node in violation["nodes"]
            if not any(a.rule == violation["id"] and a.target == node["target"] for a in allowed)
        ]
        for node in nodes:
            found.append(
                f"{violation['id']} ({violation['help']}): {node['target']}\n    {node['summary']}"
            )
    return [f"axe on {what} ({page.url}):\n" + "\n".join(found)] if found else []


def assert_accessible(page: Page, what: str, allowed: tuple[Allowed, ...] = ()) -> None:
    """0 violations on this page, except the reviewed ones listed."""
    found = problems(page, what, allowed)
    assert not found, found[0]
