"""Measures of what a reader gets in the browser: clipped content, boxes, where an anchor lands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

# The page's main content in the themes Read the Docs users pick (alabaster, sphinx_rtd_theme
# and furo all mark it with role="main").
MAIN = '[role="main"]'

# A setting's row: the element holding everything the reference says about one setting
# (it carries the setting's anchor).  This is the one place that names it.
SETTING_ROW = ".opsdocs-setting"

_OVERFLOWS_JS = """
([mainSelector, rowSelector]) => {
  const main = document.querySelector(mainSelector) || document.body;
  const step = (el) => {
    if (el.id) return '#' + CSS.escape(el.id);
    let s = el.localName;
    const classes = [...el.classList].filter(c => !/^row-(odd|even)$/.test(c)).slice(0, 2);
    if (classes.length) s += '.' + classes.map(c => CSS.escape(c)).join('.');
    const parent = el.parentElement;
    if (parent) {
      const same = [...parent.children].filter(c => c.localName === el.localName);
      if (same.length > 1) s += `:nth-of-type(${same.indexOf(el) + 1})`;
    }
    return s;
  };
  const selector = (el) => {
    const steps = [];
    for (let e = el; e; e = e.parentElement) {
      steps.unshift(step(e));
      if (e.id || e === main) break;
    }
    return steps.join(' > ');
  };
  const seen = (el) => el.checkVisibility({visibilityProperty: true});
  const visibleOverflow = (el) => getComputedStyle(el).overflowX === 'visible';
  // How far the content box of *el* reaches to the right, in viewport pixels.
  const contentRight = (el) => el.getBoundingClientRect().left + el.clientLeft + el.clientWidth;
  // An inline element is left to its block, whose scrollWidth counts the text that overflows
  // but not the preserved spaces that hang past the end of a wrapped line.  A negative right
  // margin reaches past the parent on purpose (furo's headings, by half a rem): that much
  // is not counted.
  const sticksOut = (el) => {
    const parent = el.parentElement;
    const style = getComputedStyle(el);
    const reach = Math.min(parseFloat(style.marginRight) || 0, 0);
    return parent !== null && parent.clientWidth > 0 && visibleOverflow(parent) && seen(el)
      && style.display !== 'inline'
      && el.getBoundingClientRect().right + reach > contentRight(parent) + 1;
  };
  // How far children reach past *el* by their negative right margins (see sticksOut).
  const reachOfChildren = (el) => Math.max(0, ...[...el.children].map(
    c => -Math.min(parseFloat(getComputedStyle(c).marginRight) || 0, 0)));
  const found = [];
  const report = (el, kind, need, room) => {
    const row = el.closest(rowSelector);
    const anchor = (row && (row.id ? row : row.querySelector('[id]'))) || el.closest('[id]');
    found.push({kind, selector: selector(el), need: Math.round(need), room: Math.round(room),
                anchor: anchor ? anchor.id : '',
                text: (el.innerText || '').replace(/\\s+/g, ' ').trim().slice(0, 60)});
  };
  // Deepest first, so that an ancestor widened by a descendant is known when it comes up:
  // that descendant, sticking out or spilling, is what to report, not each ancestor.
  const elements = [main, ...main.querySelectorAll('*')].filter(seen).reverse();
  const widened = new Set();
  const widen = (el) => {
    for (let e = el.parentElement; e && !widened.has(e); e = e.parentElement) widened.add(e);
  };
  for (const el of elements) {
    if (el !== main && sticksOut(el)) {
      const parent = el.parentElement;
      report(el, 'sticks out of its parent',
             el.getBoundingClientRect().right - contentRight(parent) + parent.clientWidth,
             parent.clientWidth);
      widen(el);
    }
    // Inline elements have no clientWidth; the block they are in reports them.
    if (el.clientWidth === 0 || el.scrollWidth <= el.clientWidth) continue;
    if (el.scrollWidth <= el.clientWidth + reachOfChildren(el)) {  // by design, and so above
      widen(el);
      continue;
    }
    if (!visibleOverflow(el)) {
      report(el, 'clipped', el.scrollWidth, el.clientWidth);
    } else if (!widened.has(el)) {
      report(el, 'spills', el.scrollWidth, el.clientWidth);
      widen(el);
    }
  }
  const html = document.documentElement;
  if (html.scrollWidth > html.clientWidth) {
    found.push({kind: 'page scrolls sideways', selector: 'html', need: html.scrollWidth,
                room: html.clientWidth, anchor: '', text: ''});
  }
  return found.reverse();
}
"""

_ANCHOR_VIEW_JS = """
([id, rowSelector]) => {
  const target = document.getElementById(id);
  if (!target) return null;
  // The browser scrolls the target's own box to the top; an empty target (a <span id>)
  // marks the start of what it names, its parent, which is what the reader must see.
  const box = target.getBoundingClientRect();
  const shown = target.textContent.trim() ? target : target.parentElement;
  const shownBox = shown.getBoundingClientRect();
  const row = target.closest(rowSelector) || shown;
  const x = Math.min(Math.max(shownBox.left + shownBox.width / 2, 0), window.innerWidth - 1);
  const y = Math.min(Math.max(shownBox.top + shownBox.height / 2, 0), window.innerHeight - 1);
  const atCentre = document.elementFromPoint(x, y);
  return {top: box.top, bottom: shownBox.bottom, viewportHeight: window.innerHeight,
          text: shown.innerText.replace(/\\s+/g, ' ').trim(),
          rowText: row.innerText.replace(/\\s+/g, ' ').trim(),
          uncovered: atCentre !== null && (row.contains(atCentre) || atCentre.contains(row))};
}
"""


@dataclass(frozen=True)
class Overflow:
    """Content wider than the room it has: clipped (the box scrolls), spilling, or sticking out."""

    kind: str
    selector: str
    need: int
    room: int
    anchor: str
    text: str

    def __str__(self) -> str:
        where = f" (in #{self.anchor})" if self.anchor and f"#{self.anchor}" not in self.selector else ""
        return f"{self.kind}: {self.selector}{where} needs {self.need}px, has {self.room}px: {self.text!r}"


@dataclass(frozen=True)
class Box:
    """An element's box in CSS pixels, relative to the viewport."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class AnchorView:
    """Where the element an ``#anchor`` names sits after the browser scrolled to it.

    *top* is the anchor's own top edge; *bottom*, *text* and *uncovered* are about what
    it names (itself, or its parent when it is an empty marker).
    """

    top: float
    bottom: float
    viewport_height: float
    text: str
    row_text: str
    uncovered: bool

    @property
    def in_viewport(self) -> bool:
        """The anchor is on screen, and what it names is not covered (by a sticky header, say)."""
        # Scrolling lands on whole device pixels: the top may sit a fraction above the edge.
        return -1 < self.top < self.viewport_height and self.bottom > 0 and self.uncovered


def overflows(page: Page) -> list[Overflow]:
    """What is too wide in the main content, and the page itself if it scrolls sideways.

    An element is *clipped* when its scrollWidth exceeds its clientWidth and it hides or
    scrolls the rest; an element that lets overflow show is reported where the excess
    comes from: the child that *sticks out of its parent*, or its own text that *spills*.
    """
    return [Overflow(**found) for found in page.evaluate(_OVERFLOWS_JS, [MAIN, SETTING_ROW])]


def box(locator: Locator) -> Box:
    """The bounding box of the one element *locator* finds; it must be rendered."""
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not rendered"
    return Box(found["x"], found["y"], found["width"], found["height"])


def anchor_view(page: Page, anchor: str) -> AnchorView:
    """Where the element with id *anchor* is in the viewport now."""
    view = page.evaluate(_ANCHOR_VIEW_JS, [anchor, SETTING_ROW])
    assert view is not None, f"{page.url} has no element with id {anchor!r}"
    return AnchorView(view["top"], view["bottom"], view["viewportHeight"], view["text"],
                      view["rowText"], view["uncovered"])


def setting_row(page: Page, anchor: str) -> Locator:
    """The row of the setting whose anchor is *anchor* (the row itself or inside it)."""
    return page.locator(f"{SETTING_ROW}#{anchor}, {SETTING_ROW}:has(#{anchor})").last


def visible_setting_ids(page: Page) -> list[str]:
    """The ids of the settings whose row the reader can see (not hidden, not collapsed)."""
    ids: list[str] = page.evaluate(
        """(rowSelector) => [...document.querySelectorAll('[id^="setting-"]')]
             .filter(t => { const row = t.closest(rowSelector) || t.parentElement;
                            return row.checkVisibility() && row.getBoundingClientRect().height > 0; })
             .map(t => t.id)""",
        SETTING_ROW,
    )
    return ids
