"""Knowledge packs: every approved passage with who said it, when, and a working link."""

from __future__ import annotations

from datetime import UTC, date, datetime
from html.parser import HTMLParser

from baton.service.exports.documents import PackPassage, TopicPack
from baton.service.exports.topic_pack import pack_html, pack_markdown


def passage(recording: str, start: float, text: str, *speakers: str) -> PackPassage:
    return PackPassage(
        recording_id=recording,
        recording_title=f"Session {recording}",
        held_on=date(2026, 3, 10),
        start=start,
        end=start + 42,
        text=text,
        speakers=speakers,
        link=f"http://baton.test/#play={recording}&t={int(start)}",
    )


PACK = TopicPack(
    topic_id="t1",
    name="Ladle preheating",
    description="How and why ladles are preheated.",
    keywords=("ladle", "preheat"),
    owner="Graham Pickering",
    generated_at=datetime(2026, 11, 22, tzinfo=UTC),
    passages=(
        passage("r1", 65.0, "Preheat the ladle to 1,100 degrees.", "Graham Pickering"),
        passage("r1", 3725.0, "A cold ladle costs you 30 degrees.", "Graham Pickering", "Priya"),
        passage("r2", 10.0, "<script>alert(1)</script> & more", "Priya Nair"),
    ),
)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [value or "" for name, value in attrs if name == "href"]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_pack_is_a_standalone_page_linking_every_moment() -> None:
    parsed = _Collector()
    parsed.feed(pack_html(PACK))
    assert parsed.tags.count("blockquote") == 3
    assert parsed.tags.count("h2") == 2  # one heading per recording
    assert parsed.links == [p.link for p in PACK.passages]
    assert "script" not in parsed.tags
    text = "".join(parsed.text)
    assert "<script>alert(1)</script> & more" in text
    assert "Graham Pickering, Priya" in text
    assert "1:02:05–1:02:47" in text


def test_markdown_pack_names_speakers_times_and_links() -> None:
    markdown = pack_markdown(PACK)
    assert markdown.startswith("# Ladle preheating\n")
    assert "**Graham Pickering**, [1:05–1:47](<http://baton.test/#play=r1&t=65>)" in markdown
    assert "> Preheat the ladle to 1,100 degrees." in markdown
    assert r"> \<script\>alert(1)\</script\> & more" in markdown
    assert "3 approved passage(s) · owner: Graham Pickering" in markdown


def test_an_empty_pack_says_so_in_words() -> None:
    empty = TopicPack("t2", "Cranes", None, (), None, PACK.generated_at, ())
    assert "No passages are approved for this topic yet." in pack_markdown(empty)
    assert "No passages are approved for this topic yet." in pack_html(empty)
