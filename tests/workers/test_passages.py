"""Cutting transcripts into passages of whole sentences, 40 to 120 words."""

from __future__ import annotations

from baton.workers.passages import cut_passages, search_windows
from baton.workers.transcript import Segment, Transcript, Word, join_words


def _segment(start: float, sentences: list[int]) -> Segment:
    """A segment of sentences of the given word counts, one word every 0.4 s."""
    words = []
    t = start
    for n, size in enumerate(sentences):
        for i in range(size):
            text = f"w{n}x{i}" + ("." if i == size - 1 else "")
            words.append(Word(t, t + 0.3, text, 0.9))
            t += 0.4
    return Segment(start, t, " ".join(w.text for w in words), tuple(words))


def _transcript(*segments: Segment) -> Transcript:
    return Transcript("en", 1.0, segments[-1].end, segments)


def test_passages_hold_between_min_and_max_words_and_end_on_sentences() -> None:
    transcript = _transcript(_segment(0, [12, 15, 9, 30, 22, 18]), _segment(80, [25, 14, 33, 20]))
    passages = cut_passages(transcript, min_words=40, max_words=120)
    assert len(passages) > 1
    for passage in passages:
        assert 40 <= passage.word_count <= 120
        assert passage.text.endswith(".")
        assert passage.start < passage.end
        assert passage.language == "en"


def test_passages_keep_every_word_once_in_order() -> None:
    transcript = _transcript(_segment(0, [50, 50, 50, 7]))
    passages = cut_passages(transcript, min_words=40, max_words=120)
    words = [w for p in passages for w in p.words]
    original = [w for s in transcript.segments for w in s.words]
    assert words == original
    assert [p.position for p in passages] == list(range(len(passages)))


def test_a_sentence_longer_than_the_maximum_is_split() -> None:
    transcript = _transcript(_segment(0, [300]))
    passages = cut_passages(transcript, min_words=40, max_words=120)
    assert all(p.word_count <= 120 for p in passages)
    assert sum(p.word_count for p in passages) == 300


def test_a_short_tail_joins_the_previous_passage_rather_than_stand_alone() -> None:
    transcript = _transcript(_segment(0, [60, 55, 10]))
    passages = cut_passages(transcript, min_words=40, max_words=120)
    assert [p.word_count for p in passages] == [125]


def test_words_that_continue_a_number_or_code_join_it() -> None:
    assert join_words(["we", "tap", "at", "1", ",640", "degrees."]) == "we tap at 1,640 degrees."
    assert join_words(["tolerance", "0", ".15", "on", "K", "-4701"]) == "tolerance 0.15 on K-4701"
    assert join_words([" it", "'s", " fine", ""]) == "it's fine"


def test_search_windows_are_the_same_cut_shifted_into_the_first_passage() -> None:
    transcript = _transcript(_segment(0, [12, 15, 9, 30, 22, 18, 25, 14, 33, 20, 11, 27]))
    passages = cut_passages(transcript, min_words=40, max_words=120)
    windows = search_windows(transcript, passages, 4, min_words=40, max_words=120)

    assert {phase for phase, _ in windows} == {1, 2, 3}
    spans = [(p.start, p.end) for p in passages] + [(w.start, w.end) for _, w in windows]
    assert len(spans) == len(set(spans)), "no window repeats a passage or another window"
    positions = [p.position for p in passages] + [w.position for _, w in windows]
    assert positions == list(range(len(positions)))
    first = passages[0]
    for _, window in windows:
        assert window.word_count <= 120 and window.text.endswith(".")
    # Each phase starts later into the first passage than the one before.
    starts = [min(w.start for p, w in windows if p == phase) for phase in (1, 2, 3)]
    assert first.start < starts[0] < starts[1] < starts[2] < first.end


def test_one_phase_means_no_search_windows() -> None:
    transcript = _transcript(_segment(0, [50, 50, 50]))
    passages = cut_passages(transcript)

    assert search_windows(transcript, passages, 1) == []
    assert search_windows(transcript, [], 4) == []
