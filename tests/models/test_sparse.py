"""BM25 sparse vectors: codes and numbers match however a transcript or a question writes them."""

from __future__ import annotations

import threading

import pytest

from baton.models.sparse import SparseEmbedder, SparseVector


@pytest.fixture(scope="module")
def embedder() -> SparseEmbedder:
    return SparseEmbedder()


def overlap(document: SparseVector, query: SparseVector) -> float:
    """BM25 score without IDF: the document's weights on the query's tokens."""
    weights = dict(zip(document.indices, document.values, strict=True))
    return sum(
        weights.get(token, 0.0) * value
        for token, value in zip(query.indices, query.values, strict=True)
    )


def score(embedder: SparseEmbedder, document: str, query: str) -> float:
    return overlap(embedder.embed_documents([document])[0], embedder.embed_query(query))


@pytest.mark.parametrize(
    ("document", "query"),
    [
        ("the valve V-204 sticks when cold", "V-204"),
        ("the valve V-204 sticks when cold", "v204"),
        ("the valve V-204 sticks when cold", "V 204"),
        ("the valve V204 sticks when cold", "V-204"),
        ("the valve V 204 sticks when cold", "V204"),
        ("check procedure CC-EP-007 first", "CC-EP-007"),
        ("check procedure CC-EP-007 first", "cc-ep-007"),
        ("check procedure CC-EP-007 first", "CCEP007"),
        ("check procedure CCEP007 first", "CC-EP-007"),
        ("the melt runs at 1,640 degrees", "1,640"),
        ("the melt runs at 1,640 degrees", "1640"),
        ("the melt runs at 1640 degrees", "1,640"),
        ("it weighed 12,345,678 tonnes", "12345678"),
    ],
)
def test_a_code_or_number_matches_however_it_is_written(
    embedder: SparseEmbedder, document: str, query: str
) -> None:
    assert score(embedder, document, query) > 0


def test_the_exact_code_outscores_a_neighbouring_code(
    embedder: SparseEmbedder,
) -> None:
    assert score(embedder, "the valve V-205 sticks", "V-204") < score(
        embedder, "the valve V-204 sticks", "V-204"
    )


def test_an_unrelated_passage_scores_nothing(embedder: SparseEmbedder) -> None:
    assert score(embedder, "preheat the ladle before tapping", "valve V-204") == 0


def test_words_match_across_case_and_inflection(embedder: SparseEmbedder) -> None:
    assert score(embedder, "We were PREHEATING the ladles", "preheat ladle") > 0


def test_a_query_gives_each_distinct_token_weight_one(embedder: SparseEmbedder) -> None:
    query = embedder.embed_query("ladle ladle preheat")

    assert query.values == (1.0, 1.0)


def test_a_document_weighs_repeated_terms_more(embedder: SparseEmbedder) -> None:
    once, thrice = embedder.embed_documents(["ladle crane", "ladle ladle ladle crane"])

    assert max(thrice.values) > max(once.values)


def test_a_query_of_stopwords_only_is_empty(embedder: SparseEmbedder) -> None:
    assert embedder.embed_query("what is the") == SparseVector((), ())


def test_many_threads_can_embed_with_a_fresh_model_at_once() -> None:
    embedder = SparseEmbedder()
    results: list[SparseVector] = []

    def embed() -> None:
        results.append(embedder.embed_query("valve V-204"))

    threads = [threading.Thread(target=embed) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 8
    assert all(result == results[0] for result in results)


@pytest.mark.parametrize(
    ("document", "query"),
    [
        ("it sits at one hundred and sixty bar", "160 bar"),
        ("so the last week on d5,520 it's 1.12", "What Cpk did die T-5520 show?"),
        ("150 liters a minute", "how many litres"),
    ],
)
def test_what_the_recogniser_writes_matches_what_a_person_types(
    embedder: SparseEmbedder, document: str, query: str
) -> None:
    assert score(embedder, document, query) > 0


def test_matched_words_are_the_passage_words_the_question_shares(
    embedder: SparseEmbedder,
) -> None:
    query = embedder.embed_query("How hot is the ladle before tapping, and what does V-204 do?")
    text = "Preheat the Ladles for an hour; valve V204 sticks, so the ladle waits. Tapped."

    assert embedder.matched_words(query, text) == ["Ladles", "V204", "ladle", "Tapped"]
