"""Page-furniture heuristics, as named data.

Each rule has a name (shown by ``storylens clean --explain``) and a pattern.
``LINE_RULES`` match a whole line (after stripping) and remove it;
``INLINE_RULES`` rewrite a span inside a kept line. Structural rules that need
context (a banner at the top, a link list at the bottom, a poll question before
its consent line, the headline) live in ``structure.py`` and use the word lists
here.

To add a heuristic: add one ``LineRule`` or ``InlineRule`` here with a test in
``tests/test_clean.py`` showing a line it removes and a line it must keep.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_I = re.IGNORECASE


@dataclass(frozen=True, slots=True)
class LineRule:
    name: str
    pattern: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class InlineRule:
    name: str
    pattern: re.Pattern[str]
    replacement: str


def _line(name: str, regex: str) -> LineRule:
    return LineRule(name, re.compile(rf"(?:{regex})", _I))


LINE_RULES: tuple[LineRule, ...] = (
    _line(
        "bot_check",
        r"please verify(?: you are (?:a )?human)?\.?|verify you are (?:a )?human\.?"
        r"|checking (?:if the site connection is secure|your browser)\b.*"
        r"|(?:please )?enable (?:javascript|cookies)\b.*|are you a robot\??"
        r"|press (?:and|&) hold\b.*|just a moment\.*",
    ),
    _line("live_banner", r"(?:watch|listen|streaming) live(?: now)?!?|live(?: now)?:?|live updates"),
    _line(
        "newsletter",
        r".*\byou agree to (?:receive|our)\b.*(?:e-?mails?|newsletters?|offers|privacy policy).*"
        r"|(?:sign up|subscribe)\b.{0,60}\bnewsletters?\b.*"
        r"|.*\bnewsletters?\b.{0,60}\b(?:sign up|subscribe)\b.*"
        r"|get (?:our|the) .{0,40}(?:in your inbox|newsletter).*",
    ),
    _line("cms_shortcode", r"\[/?[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?:\s+[^\]]*)?\]"),
    _line(
        "caption_credit",
        r".*\((?:image|photo|video|picture)\s*(?:source|credit|by)?\s*:?[^)]*\)"
        r"|(?:image|photo|video|picture)\s*(?:source|credit)\s*:.*"
        r"|.*\b(?:photo|image) by [^.]{1,60}/(?:getty|ap|reuters|afp)\b.*",
    ),
    _line("advertisement", r"advertisement|sponsored(?: content)?|story continues below(?: advertisement)?"),
    _line(
        "share_buttons",
        r"share(?: this)?(?: article| story)?|click to share\b.*"
        r"|(?:share|tweet|email|print)(?: \| (?:share|tweet|email|print))+",
    ),
    _line("copyright", r"(?:©|\(c\)|copyright\b).*\ball rights reserved\.?.*"),
)

# A heading that opens a trailing block of links to other stories.
LINK_LIST_MARKERS = re.compile(
    r"(?:most recent|most read|most popular|all articles|related(?: articles| stories| posts| coverage)?"
    r"|read more|more from [\w .'-]+|more stories|recommended(?: for you)?|trending(?: now)?"
    r"|you may also like|latest news|top stories|popular (?:now|stories)):?",
    _I,
)

# A line consenting to a poll or newsletter: a question line just before it is a poll.
CONSENT = re.compile(r"\bby (?:completing|taking|submitting|voting in) (?:the|this) (?:poll|survey|quiz|form)\b", _I)

INLINE_RULES: tuple[InlineRule, ...] = (
    InlineRule(
        "cms_shortcode",
        re.compile(r"\[/?[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?:\s+[a-z_]+=[^\]]*)?\]\s?"),
        "",
    ),
    # Scrapers leave `added.”Whom`: a reversed, glued opening mark after a sentence.
    InlineRule("glued_open_quote", re.compile(r"(?<=[.!?])”(?=[A-Z])"), " “"),
    # `Hillary. ”` and `understanding. ’”`: a closing mark pushed off its sentence.
    InlineRule(
        "space_before_closing_quote",
        re.compile(r"(?<=[.,!?…])[^\S\n]+(?=[”’]+(?:[^\S\n]|$))"),
        "",
    ),
    # Runs of spaces where characters were stripped (`  —   `, `   …     `).
    InlineRule("trailing_space", re.compile(r"[^\S\n]+$"), ""),
    InlineRule("leading_space", re.compile(r"^[^\S\n]+"), ""),
    InlineRule("space_run", re.compile(r"[^\S\n]{2,}|[^\S\n ]"), " "),
)
