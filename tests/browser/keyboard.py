"""Keyboard-only browser steps: move the focus with Tab, act with Enter, Space or arrows,
and check at every step that the focus can be seen.

"Can be seen" is measured on the focused element itself: it has a focus indicator of
its own (an outline at least 2 px wide, or a box shadow), and the indicator's colour has
a contrast of at least 3:1 with the colour behind the element (WCAG 2.4.7 and 1.4.11).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Page

# What the focused element looks like: its name in words, its indicator and the colour
# behind it (the first opaque background among it and its ancestors, white at the top).
_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const parse = (c) => {
    const m = c && c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const behind = (node) => {
    const layers = [];
    for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let out = {r: 255, g: 255, b: 255};
    for (const c of layers.reverse()) {
      out = {r: c.r * c.a + out.r * (1 - c.a), g: c.g * c.a + out.g * (1 - c.a),
             b: c.b * c.a + out.b * (1 - c.a)};
    }
    return out;
  };
  const style = getComputedStyle(el);
  const label = el.getAttribute('aria-label')
    || (el.labels && el.labels.length ? el.labels[0].innerText : '')
    || el.innerText || el.value || el.getAttribute('title') || el.getAttribute('name') || '';
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: label.trim().replace(/\\s+/g, ' '),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    outlineColor: parse(style.outlineColor),
    boxShadow: style.boxShadow,
    shadowColor: parse(style.boxShadow),
    background: behind(el.parentElement || el),
    width: box.width,
    height: box.height,
  };
}"""


def _luminance(colour: dict[str, float]) -> float:
    def channel(value: float) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.04045 else float(((v + 0.055) / 1.055) ** 2.4)

    return (
        0.2126 * channel(colour["r"])
        + 0.7152 * channel(colour["g"])
        + 0.0722 * channel(colour["b"])
    )


def contrast(a: dict[str, float], b: dict[str, float]) -> float:
    """The WCAG contrast ratio of two colours ({r, g, b} in 0..255)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@dataclass(frozen=True)
class Focus:
    """The focused element, as a keyboard user meets it."""

    tag: str
    id: str
    name: str
    #: The indicator's contrast with what is behind the element; 0 when it has none.
    ring_contrast: float

    def __str__(self) -> str:
        return f"<{self.tag}{'#' + self.id if self.id else ''}> {self.name!r}"


def _seen(colour: dict[str, float] | None, background: dict[str, float]) -> dict[str, float]:
    """A colour as it shows over the background (a translucent one blends into it; a
    transparent one is the background itself, so it has no contrast with it)."""
    if colour is None:
        return background
    alpha = colour.get("a", 1)
    return {c: colour[c] * alpha + background[c] * (1 - alpha) for c in ("r", "g", "b")}


def focused(page: Page) -> Focus | None:
    """The focused element now, or None when the focus is on the page itself."""
    info: dict[str, Any] | None = page.evaluate(_FOCUS)
    if info is None:
        return None
    ring = 0.0
    behind = info["background"]
    if info["outlineStyle"] not in ("none", "") and info["outlineWidth"] >= 2:
        if info["outlineColor"] is not None:
            ring = contrast(_seen(info["outlineColor"], behind), behind)
    if ring < 3 and info["boxShadow"] not in ("none", "") and info["shadowColor"] is not None:
        ring = max(ring, contrast(_seen(info["shadowColor"], behind), behind))
    return Focus(info["tag"], info["id"] or "", info["name"], ring)


def assert_focus_visible(page: Page, what: str = "") -> Focus:
    """Something has the focus, and its indicator is seen (3:1 with what is behind it)."""
    found = focused(page)
    assert found is not None, f"nothing has the focus {what}".strip()
    assert found.ring_contrast >= 3, (
        f"the focus on {found} cannot be seen well enough {what}: "
        f"indicator contrast {found.ring_contrast:.2f}:1 (needs 3:1)"
    )
    return found


def _matches(found: Focus | None, target: str | re.Pattern[str], page: Page) -> bool:
    if found is None:
        return False
    if isinstance(target, re.Pattern):
        return bool(target.search(found.name))
    return bool(page.evaluate("(s) => document.activeElement.matches(s)", target))


def tab_to(
    page: Page,
    target: str | re.Pattern[str],
    *,
    backwards: bool = False,
    limit: int = 80,
) -> Focus:
    """Press Tab (Shift+Tab backwards) until the focus is on ``target``: a CSS selector
    the focused element matches, or a pattern its accessible name contains. Every stop on
    the way must show its focus. Fails after ``limit`` presses."""
    key = "Shift+Tab" if backwards else "Tab"
    visited: list[str] = []
    for _ in range(limit):
        page.keyboard.press(key)
        found = focused(page)
        if found is not None:
            assert_focus_visible(page, f"(tabbing to {target!r})")
            visited.append(str(found))
        if _matches(found, target, page):
            assert found is not None
            return found
    raise AssertionError(
        f"{target!r} not reached with {limit} presses of {key}; visited:\n  "
        + "\n  ".join(visited[-30:])
    )


def activate(page: Page, key: str = "Enter") -> None:
    """Act on the focused element with a key, as a keyboard user would."""
    assert focused(page) is not None, "nothing has the focus to act on"
    page.keyboard.press(key)


def type_text(page: Page, text: str) -> None:
    """Type into the focused field, key by key."""
    assert focused(page) is not None, "nothing has the focus to type into"
    page.keyboard.type(text)
