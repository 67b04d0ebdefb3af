"""Text from elsewhere (an imported news archive) as Wagtail rich text: only what the editor
itself could have written survives.

HTML goes through the rich text editor's own converter (HTML → Draftail's content state → the
database's HTML), with the editor's features: unknown elements become paragraphs or plain
text, attributes, event handlers and `javascript:` links go, and images from other hosts are
dropped. Before that, elements whose content is no text to read (script, style, iframe …) are
removed with their content, so that their code does not reappear as visible text. Plain text
becomes paragraphs (a blank line between them) with line breaks."""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

#: Elements dropped with everything inside them.
DROPPED = frozenset(
    {
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "template",
        "noscript",
        "svg",
        "math",
        "head",
        "title",
        "form",
        "select",
        "textarea",
        "button",
    }
)
#: Void elements never have an end tag, so they cannot open a dropped region.
VOID = frozenset(
    {
        "br",
        "hr",
        "img",
        "input",
        "meta",
        "link",
        "area",
        "base",
        "col",
        "wbr",
        "source",
        "track",
        "param",
    }
)
#: Headings the editor does not offer become the nearest it does.
HEADINGS = {"h1": "h2", "h5": "h4", "h6": "h4"}
#: A body is taken as HTML when it holds a tag of HTML's text elements (not just any <word>).
LOOKS_LIKE_HTML = re.compile(
    r"<\s*/?\s*(p|br|div|span|h[1-6]|ul|ol|li|a|b|i|u|em|strong|blockquote|table|tr|td|th|"
    r"hr|img|pre|code|sub|sup|section|article|figure|figcaption|script|style|iframe)\b[^>]*>",
    re.IGNORECASE,
)
#: The editor's block keys: random, so two conversions of one text differ only in them.
BLOCK_KEY = re.compile(r' data-block-key="[^"]*"')


class _Prefilter(HTMLParser):
    """Drops the DROPPED elements with their content and every attribute but a link's href;
    renames headings; closes what was left open and ignores stray end tags, so that the editor's
    converter (which insists on matching tags) always gets well-formed HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.skipping:
            if tag in DROPPED and tag not in VOID:
                self.skipping.append(tag)
            return
        if tag in DROPPED:
            if tag not in VOID:
                self.skipping.append(tag)
            return
        tag = HEADINGS.get(tag, tag)
        if tag in VOID:
            self.out.append(f"<{tag}/>")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.out.append(f'<a href="{escape(href)}">' if href else "<a>")
            self.open.append(tag)
        else:
            self.out.append(f"<{tag}>")
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        if not self.skipping and tag not in DROPPED:
            tag = HEADINGS.get(tag, tag)
            self.out.append(f"<{tag}/>" if tag in VOID else f"<{tag}></{tag}>")

    def handle_endtag(self, tag):
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        tag = HEADINGS.get(tag, tag)
        if tag not in self.open:
            return
        while self.open:
            current = self.open.pop()
            self.out.append(f"</{current}>")
            if current == tag:
                break

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(escape(data, quote=False))

    def html(self) -> str:
        self.close()
        return "".join(self.out) + "".join(f"</{tag}>" for tag in reversed(self.open))


def _features() -> list[str]:
    from wagtail.admin.rich_text import get_rich_text_editor_widget

    # Imported text is no place for embeds, images or links to documents of this site.
    return [
        feature
        for feature in get_rich_text_editor_widget().features
        if feature not in {"embed", "image", "document-link"}
    ]


def html_to_richtext(html: str) -> str:
    """HTML as the rich text editor would store it."""
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

    prefilter = _Prefilter()
    prefilter.feed(html)
    converter = ContentstateConverter(_features())
    stored = converter.to_database_format(converter.from_database_format(prefilter.html()))
    # Empty paragraphs left by dropped elements.
    return re.sub(r'<p data-block-key="[^"]*"></p>', "", stored)


def text_to_richtext(text: str) -> str:
    """Plain text as paragraphs: blank lines separate them, single line breaks stay."""
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    return "".join(
        "<p>" + "<br/>".join(escape(line.strip()) for line in part.split("\n")) + "</p>"
        for part in paragraphs
        if part
    )


def body_to_richtext(body: str) -> str:
    """An imported body, HTML or plain text, as rich text."""
    if not body.strip():
        return ""
    if LOOKS_LIKE_HTML.search(body):
        return html_to_richtext(body)
    return html_to_richtext(text_to_richtext(body))
