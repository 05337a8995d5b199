"""The web app's journeys with the people who make them, on the demo programme and a real corpus
session: a mentor uploads a session and watches it become ready (1); a learner asks a corpus
question and the player opens at the hit (4); a curator approves a suggested topic passage and
finds it on the topic's page (5); the player helps a learner listen (speed, keys, find within
the transcript, a timeline of speakers and hits)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from baton.service.demo.load import load_demo
from tests.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, CORPUS
from tests.e2e.conftest import screenshot, sign_in
from tests.support.server import admin_headers, headers_for, running_server

SESSION_FILE = CORPUS / "audio" / "s01.ogg"
SESSION_TITLE = "Tapping temperatures, filed by Graham"
PAIR = "Graham Pickering & Priya Nair"


@dataclass
class Programme:
    base: str
    admin: dict[str, str]
    session_id: str
    recording_id: str = ""
    people: dict[str, str] = field(default_factory=dict)


def account(base: str, admin: dict[str, str], email: str, role: str, person_id: str = "") -> None:
    body = {"email": email, "password": ADMIN_PASSWORD, "roles": [role]}
    if person_id:
        body["person_id"] = person_id
    answer = httpx.post(f"{base}/api/v1/users", json=body, headers=admin, timeout=30)
    assert answer.status_code == 201, answer.text


@pytest.fixture(scope="module")
def programme(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Programme]:
    """The demo programme (pairs, goals, topics, sessions without recordings) and four accounts:
    the two mentors of the ladle pair, a curator and a learner."""
    data = tmp_path_factory.mktemp("journeys") / "data"
    with running_server(data, ready=True) as base:
        admin = admin_headers(base)
        with httpx.Client(base_url=base, headers=admin, timeout=60) as client:
            loaded = load_demo(client, None)
        account(base, admin, "graham@example.com", "mentor", loaded.people["Graham Pickering"])
        account(base, admin, "priya@example.com", "mentor", loaded.people["Priya Nair"])
        account(base, admin, "curator@example.com", "curator")
        account(base, admin, "learner@example.com", "learner")
        yield Programme(base, admin, loaded.sessions["s01"], people=loaded.people)


def s01_question() -> dict[str, str]:
    """The corpus's first question about the session the journeys publish."""
    return next(
        q for q in map(json.loads, (CORPUS / "questions.jsonl").read_text().splitlines())
        if q["session"] == "s01"
    )  # fmt: skip


def wait_ready(programme: Programme, recording_id: str) -> None:
    deadline = time.monotonic() + 600
    url = f"{programme.base}/api/v1/recordings/{recording_id}"
    while (
        status := httpx.get(url, headers=programme.admin, timeout=60).json()["status"]
    ) != "ready":
        assert status != "failed" and time.monotonic() < deadline, status
        time.sleep(1)


@pytest.fixture(scope="module")
def published(programme: Programme) -> Programme:
    """The session's recording (the one journey 1 uploaded, or uploaded here), ready, consented
    to by both mentors and published."""
    base = programme.base
    if not programme.recording_id:
        with SESSION_FILE.open("rb") as handle:
            answer = httpx.post(
                f"{base}/api/v1/recordings", files={"file": (SESSION_FILE.name, handle)},
                data={"session_id": programme.session_id, "title": SESSION_TITLE},
                headers=programme.admin, timeout=120,
            )  # fmt: skip
        programme.recording_id = answer.json()["id"]
    wait_ready(programme, programme.recording_id)
    url = f"{base}/api/v1/recordings/{programme.recording_id}"
    for email in ("graham@example.com", "priya@example.com"):
        given = httpx.put(
            f"{url}/consent", json={"given": True}, headers=headers_for(base, email), timeout=60
        )
        assert given.status_code == 200, given.text
    published = httpx.post(
        f"{url}/publish", headers=headers_for(base, "graham@example.com"), timeout=60
    )
    assert published.status_code == 200, published.text
    return programme


def test_journey_1_a_mentor_uploads_a_session_and_watches_it_become_ready(
    page: Page, programme: Programme
) -> None:
    page.goto(programme.base)
    sign_in(page, "graham@example.com")
    upload = page.locator("#upload-form")
    # The session is offered by its pair's names and date.
    choice = upload.locator(f"#upload-session option[value='{programme.session_id}']")
    expect(choice).to_contain_text(PAIR)
    upload.get_by_label("Session").select_option(value=programme.session_id)
    page.set_input_files("#file-input", str(SESSION_FILE))
    upload.get_by_label("Title").fill(SESSION_TITLE)
    page.click("#upload-button")
    item = page.locator("#recordings li", has_text=SESSION_TITLE)
    # Its progress shows the stage it is at, then it is ready.
    expect(item).to_contain_text(re.compile("Queued|Processing|Ready"), timeout=60_000)
    screenshot(page, "journey-1-processing")
    expect(item).to_contain_text("Ready", timeout=600_000)
    screenshot(page, "journey-1-ready")
    programme.recording_id = str(item.get_attribute("data-id"))
    session = httpx.get(
        f"{programme.base}/api/v1/sessions/{programme.session_id}",
        headers=programme.admin,
        timeout=60,
    ).json()
    assert session["recording_ids"] == [programme.recording_id]
    expect(item).to_contain_text("Private")

    # Curators see what it waits for before it can be published.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to Baton")).to_be_visible()
    sign_in(page, "curator@example.com")
    page.get_by_role("link", name="Review").click()
    waiting = page.locator("#publishing-list li", has_text=SESSION_TITLE)
    expect(waiting).to_contain_text("Waiting for Graham Pickering and Priya Nair")
    expect(waiting.get_by_role("button", name=re.compile("^Publish"))).to_have_count(0)


def test_journey_4_a_learner_asks_and_the_player_opens_at_the_hit(
    page: Page, published: Programme
) -> None:
    question = s01_question()
    learner = headers_for(published.base, "learner@example.com")
    search = f"{published.base}/api/v1/search"
    deadline = time.monotonic() + 60
    # Publishing reaches the index within seconds.
    while not httpx.get(
        search, params={"q": question["question"]}, headers=learner, timeout=60
    ).json()["hits"]:
        assert time.monotonic() < deadline, "the published session never reached a learner"
        time.sleep(1)
    page.goto(published.base)
    sign_in(page, "learner@example.com")
    # A learner reads and searches; uploading and filming are not offered.
    expect(page.locator("#upload-form")).to_be_hidden()
    expect(page.get_by_role("link", name="Film a session")).to_be_hidden()
    # Before asking anything, the page shows what the library holds: the session just
    # published, topics with what they hold, and the question asked above, which the published
    # library answers; asking it again is one click.
    first_visit = page.locator("#first-visit")
    expect(first_visit).to_be_visible()
    expect(page.locator("#latest-sessions")).to_contain_text(SESSION_TITLE)
    expect(page.locator("#held-topics li a").first).to_contain_text("(")
    screenshot(page, "journey-4-first-visit")
    page.locator("#answered-questions button", has_text=question["question"]).click()
    expect(page.locator("#search-input")).to_have_value(question["question"])
    hit = page.locator("#hits li.hit").first
    expect(hit).to_be_visible(timeout=30_000)
    expect(first_visit).to_be_hidden()
    start = float(hit.get_attribute("data-start") or "nan")
    hit.locator("button").first.click()
    page.wait_for_function(
        "() => document.querySelector('#player').readyState >= 1", timeout=30_000
    )
    current = float(page.locator("#player").evaluate("el => el.currentTime"))
    assert abs(current - start) <= 2.0, (current, start)
    # The published recording opens cleanly: its lines name the speakers, and naming voices
    # (a mentor's or curator's work) is not offered, so nothing is left to fail.
    expect(page.locator("#segments li").first).to_be_visible(timeout=30_000)
    expect(page.locator("#voices-heading")).to_be_hidden()
    expect(page.locator("[data-tone='error']:visible")).to_have_count(0)
    screenshot(page, "journey-4-learner-hit-playing")

    # Narrowed to a topic, every hit carries that topic.
    page.locator("#search-filters summary").click()
    name = page.locator("#filter-topic option").nth(1).inner_text().rsplit(" (", 1)[0]
    with page.expect_response(lambda response: "topic_id=" in response.url):
        page.select_option("#filter-topic", index=1)
    expect(page.locator("#filter-count")).to_have_text("(1 on)")
    expect(page.locator("#hits")).not_to_have_attribute("aria-busy", "true")
    hits = page.locator("#hits li.hit")
    expect(hits.first.locator(".tag", has_text=name)).to_be_visible()
    for index in range(hits.count()):
        expect(hits.nth(index).locator(".tag", has_text=name)).to_have_count(1)
    screenshot(page, "journey-4-filtered")
    # The learner says it did not answer: the question joins the curators' search gaps.
    page.get_by_role("button", name="This did not answer my question").click()
    expect(page.locator("#feedback-message")).to_contain_text("Thank you")


def test_journey_5_a_curator_approves_a_topic_passage_and_it_shows_on_the_topic_page(
    page: Page, published: Programme
) -> None:
    base = published.base
    query = {"kind": "topic", "status": "suggested", "recording_id": published.recording_id}
    deadline = time.monotonic() + 120
    while not httpx.get(
        f"{base}/api/v1/tags", params=query, headers=published.admin, timeout=60
    ).json()["tags"]:
        assert time.monotonic() < deadline, "no topic was suggested for the session"
        time.sleep(1)

    page.goto(base)
    sign_in(page, "curator@example.com")
    page.get_by_role("link", name="Review").click()
    first = page.locator("#review-queue li.review-item").first
    expect(first).to_be_visible(timeout=30_000)
    topic = first.locator(".review-item__target").inner_text().replace("Topic", "", 1).strip()
    words = first.locator(".review-item__text").inner_text()[:40]
    screenshot(page, "journey-5-review-queue")
    first.get_by_role("button", name=re.compile("^Approve")).click()
    expect(page.locator("#review-message")).to_contain_text(f"Approved: {topic}")

    page.get_by_role("link", name="Topics").click()
    page.locator("#topic-list").get_by_role("link", name=topic, exact=True).click()
    expect(page.get_by_role("heading", name=topic, level=1)).to_be_visible()
    passages = page.locator("#topic-passages")
    expect(passages).to_contain_text(words, timeout=30_000)
    expect(passages).to_contain_text(SESSION_TITLE)
    screenshot(page, "journey-5-topic-page")

    # A passage on the topic page plays that moment, and the transcript shows its topic.
    passages.locator("a.topic-passage__play").first.click()
    expect(page.locator("#player-card")).to_be_visible()
    expect(page.locator("#segments li.tag", has_text=f"Topic: {topic}").first).to_be_visible(
        timeout=30_000
    )
    approved = page.locator("#segments li.tag:not(.tag--suggested)", has_text=topic)
    expect(approved).to_have_count(1)


def test_dashboards_draw_every_chart_for_a_curator(page: Page, published: Programme) -> None:
    base = published.base
    asked = httpx.get(
        f"{base}/api/v1/search", params={"q": "how do I calibrate the spectrometer"},
        headers=published.admin, timeout=60,
    ).json()  # fmt: skip
    feedback = httpx.post(
        f"{base}/api/v1/search/{asked['search_id']}/feedback", json={"answered": False},
        headers=published.admin, timeout=60,
    )  # fmt: skip
    assert feedback.status_code == 204, feedback.text
    page.goto(base)
    sign_in(page, "curator@example.com")
    page.get_by_role("link", name="Dashboards").click()
    for chart in ("#risk-chart", "#goal-chart", "#topic-chart", "#gaps-chart", "#months-chart"):
        expect(page.locator(f"{chart} figure.chart svg")).to_be_visible(timeout=30_000)
    expect(page.locator("#gaps-chart")).to_contain_text("spectrometer")
    expect(page.locator("#goal-chart")).to_contain_text("Ladle temperature control")
    expect(page.locator("#dashboard-summary")).to_contain_text("hours captured")
    screenshot(page, "dashboards")
    # The numbers behind a chart, as a table.
    page.locator("#months-chart summary").click()
    expect(page.locator("#months-chart table")).to_be_visible()

    # A learner is not offered the curators' views, and the server refuses them.
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to Baton")).to_be_visible()
    sign_in(page, "learner@example.com")
    expect(page.get_by_role("link", name="Dashboards")).to_be_hidden()
    expect(page.get_by_role("link", name="Review")).to_be_hidden()
    refused = page.request.get(f"{base}/api/v1/analytics/programme-health")
    assert refused.status == 403


def test_a_mentor_sees_their_pairs_goals_and_sessions(page: Page, published: Programme) -> None:
    page.goto(published.base)
    sign_in(page, "graham@example.com")
    page.get_by_role("link", name="My pairs").click()
    cards = page.locator("#pair-cards section.pair")
    expect(cards).to_have_count(1, timeout=30_000)  # only his own pair
    card = cards.first
    expect(card.get_by_role("heading", level=2)).to_have_text(PAIR)
    expect(card).to_contain_text("Ladle temperature control from tap to caster")
    expect(card).to_contain_text("Graham Pickering teaches Priya Nair")
    expect(card.locator("progress").first).to_be_visible()
    screenshot(page, "my-pairs")
    # The session's recording plays from its page.
    card.get_by_role("link", name=re.compile("^Play the recording of")).first.click()
    expect(page.locator("#player-card")).to_be_visible()
    expect(page.locator("#player-title")).to_have_text(SESSION_TITLE)


SCREENS = {"phone": (390, 844), "tablet": (768, 1024), "laptop": (1024, 768), "wide": (1366, 900)}
ROLES = {
    "admin": ADMIN_EMAIL,
    "mentor": "graham@example.com",
    "learner": "learner@example.com",
}
VIEWS = ("Sessions", "My pairs", "Film a session", "Topics", "Review", "Dashboards")

# The page's own layout faults, measured in the browser: how much wider than the screen the
# page is, and the pairs of cards (not nested in one another) whose boxes intersect within
# the first screenful. A sticky player over the transcript is not a fault: at the top of the
# page nothing has scrolled under it.
LAYOUT_FAULTS = """() => {
  const shown = [...document.querySelectorAll('.card')].filter((card) =>
    card.getClientRects().length > 0 && !card.parentElement.closest('.card'));
  const boxes = shown.map((card) => [card, card.getBoundingClientRect()])
    .filter(([, box]) => box.top < window.innerHeight && box.height > 0);
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, p] = boxes[i];
      const [b, q] = boxes[j];
      const across = Math.min(p.right, q.right) - Math.max(p.left, q.left);
      const down = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
      if (across > 1 && down > 1) overlaps.push(`${a.id || a.className} x ${b.id || b.className}`);
    }
  }
  const errors = [...document.querySelectorAll("[data-tone='error']")]
    .filter((node) => node.getClientRects().length > 0 && node.textContent.trim())
    .map((node) => node.textContent.trim());
  return {
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    overlaps,
    errors,
  };
}"""


def _check_layout(page: Page, where: str, console: list[str]) -> None:
    page.wait_for_load_state("networkidle")
    page.evaluate("() => window.scrollTo(0, 0)")
    faults = page.evaluate(LAYOUT_FAULTS)
    assert faults["overflow"] <= 0, f"{where} is {faults['overflow']}px wider than the screen"
    assert not faults["overlaps"], f"{where}: cards drawn over each other: {faults['overlaps']}"
    assert not faults["errors"], f"{where} shows an error: {faults['errors']}"
    assert not console, f"{where}: the console reported {console}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("screen", SCREENS)
def test_every_view_fits_each_screen_for_each_role_and_opens_from_the_keyboard(
    browser: Browser, published: Programme, screen: str, role: str
) -> None:
    """Each view the role is offered, reached from the keyboard, then a recording open in the
    player: no horizontal scrolling, no cards over each other, no error, nothing in the console."""
    width, height = SCREENS[screen]
    context = browser.new_context(
        viewport={"width": width, "height": height}, has_touch=width < 1024
    )
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: console.append(str(error)))
    # Which request a "Failed to load resource" line was about.
    page.on(
        "response",
        lambda r: (
            console.append(f"{r.status} {r.request.method} {r.url}") if r.status >= 400 else None
        ),
    )
    try:
        page.goto(published.base)
        _check_layout(page, f"sign-in at {width}px", console)
        sign_in(page, ROLES[role])
        for name in VIEWS:
            link = page.get_by_role("link", name=name, exact=True)
            if not link.is_visible():
                continue  # not this role's view (the server refuses it too)
            link.focus()
            page.keyboard.press("Enter")
            expect(link).to_have_attribute("aria-current", "page")
            # The view's heading takes the focus, so a screen reader announces where it is.
            if name != "Sessions":
                page.wait_for_function("() => document.activeElement.tagName.match(/^H[12]$/)")
            where = f"{name} for a {role} at {width}px"
            _check_layout(page, where, console)
            screenshot(page, f"{screen}-{role}-{name.lower().replace(' ', '-')}")
        page.goto(f"{published.base}/#play={published.recording_id}&t=30")
        expect(page.locator("#segments li").first).to_be_visible(timeout=30_000)
        _check_layout(page, f"the player for a {role} at {width}px", console)
        screenshot(page, f"{screen}-{role}-player")
    finally:
        context.close()


def _now(page: Page) -> float:
    return float(page.locator("#player").evaluate("el => el.currentTime"))


def _search_and_play(page: Page, question: str) -> float:
    page.fill("#search-input", question)
    page.click("#search-button")
    hit = page.locator("#hits li.hit").first
    expect(hit).to_be_visible(timeout=30_000)
    hit.locator("button").first.click()
    page.wait_for_function(
        "() => document.querySelector('#player').readyState >= 1", timeout=30_000
    )
    return float(hit.get_attribute("data-start") or "nan")


def test_speed_keys_find_and_timeline_help_a_learner_listen(
    page: Page, published: Programme
) -> None:
    question = s01_question()
    page.goto(published.base)
    sign_in(page, "learner@example.com")
    start = _search_and_play(page, question["question"])
    expect(page.locator("#segments li").first).to_be_visible(timeout=30_000)

    # The timeline: a band per turn, the two mentors told apart, the hits as buttons.
    timeline = page.locator("#player-timeline")
    expect(timeline).to_be_visible()
    expect(timeline.locator(".timeline__turn").first).to_be_attached()
    expect(page.locator("#timeline-legend li")).to_have_count(2)
    marks = timeline.locator("button.timeline__hit")
    expect(marks.first).to_be_visible()
    hits_here = page.locator(f"#hits li.hit[data-recording-id='{published.recording_id}']")
    expect(marks).to_have_count(hits_here.count())
    screenshot(page, "player-timeline-and-find")

    # Keys work with the focus anywhere on the page, not only on the player.
    page.locator("#search-heading").click()
    page.keyboard.press("k")
    page.wait_for_function("() => document.querySelector('#player').paused")
    before = _now(page)
    page.keyboard.press("ArrowRight")
    assert abs(_now(page) - (before + 5)) < 0.5
    page.keyboard.press("j")
    assert abs(_now(page) - (before - 5)) < 0.5
    page.keyboard.press(" ")
    page.wait_for_function("() => !document.querySelector('#player').paused")
    page.keyboard.press("k")
    # Typing in a field is typing: "k" in the search box does not pause or play.
    paused = page.locator("#player").evaluate("el => el.paused")
    page.locator("#transcript-find").press("k")
    assert page.locator("#player").evaluate("el => el.paused") == paused

    # Find within this recording's transcript: lines marked, Enter plays from the first.
    first_line = page.locator("#segments li .segment__text").first.inner_text()
    word = max(first_line.split(), key=len).strip(".,?!").lower()
    page.fill("#transcript-find", word)
    expect(page.locator("#transcript-find-count")).to_contain_text("line")
    found = page.locator("#segments li.is-match")
    expect(found.first.locator("mark")).to_have_text(word, ignore_case=True)
    page.locator("#transcript-find").press("Enter")
    expect(page.locator("#segments li.is-found")).to_have_count(1)
    expect(page.locator("#transcript-find-count")).to_contain_text("1 of")
    line_start = page.evaluate(
        "() => Number(document.querySelector('#segments li.is-found').dataset.id)"
    )
    assert line_start is not None

    # A hit's mark on the timeline plays from that hit.
    marks.first.click()
    first_mark = float(marks.first.get_attribute("data-start") or "nan")
    assert abs(_now(page) - first_mark) < 1.5, (_now(page), first_mark, start)

    # The speed chosen stays: on the next recording opened and after a reload.
    page.select_option("#player-speed", "1.5")
    assert page.locator("#player").evaluate("el => el.playbackRate") == 1.5
    page.click("#close-player")
    _search_and_play(page, question["question"])
    assert page.locator("#player").evaluate("el => el.playbackRate") == 1.5
    page.reload()
    expect(page.locator("#app")).to_be_visible(timeout=30_000)
    _search_and_play(page, question["question"])
    expect(page.locator("#player-speed")).to_have_value("1.5")
    assert page.locator("#player").evaluate("el => el.playbackRate") == 1.5
    expect(page.locator("[data-tone='error']:visible")).to_have_count(0)
