"""Campaign detection engine: exact and near duplicates, verification, scripts, additions."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polyvox.analytics import near_duplicates
from polyvox.analytics.near_duplicates import (
    NearDuplicateGrouper,
    campaign_additions,
    group_near_duplicates,
    unique_additions,
)
from polyvox.analytics.near_duplicates_cluster import jaccard_pairs
from polyvox.analytics.near_duplicates_sketch import (
    choose_bands,
    collision_probability,
    sketch_tokens,
)
from polyvox.analytics.text_normalization import normalize, shingle_strings, tokenize

LETTER = (
    "We urge the commission to keep strong net neutrality rules because an open internet "
    "protects small businesses, free expression and competition in every community across "
    "the country. Internet providers must not block, throttle or charge for priority access."
)
STORY = "My grandmother sells quilts online and her shop would vanish behind a paid fast lane."


def _words(rng: random.Random, n: int) -> str:
    vocab = [f"w{i}" for i in range(5000)]
    return " ".join(rng.choice(vocab) for _ in range(n))


def _jaccard(a: str, b: str, k: int = 3) -> float:
    sa, sb = set(shingle_strings(tokenize(a), k)), set(shingle_strings(tokenize(b), k))
    return len(sa & sb) / len(sa | sb)


def _same_cluster(groups: object, i: int, j: int) -> bool:
    labels = groups.labels  # type: ignore[attr-defined]
    return bool(labels[i] >= 0 and labels[i] == labels[j])


def test_normalisation_folds_case_width_punctuation_and_space() -> None:
    assert normalize("  Hello,\tWORLD!!  \ufb01ne \uff21\uff42\uff43 ") == "hello world fine abc"
    assert normalize("e-mail x_y") == "e mail x y"


def test_exact_duplicates_after_normalisation_form_one_cluster() -> None:
    texts = [LETTER, LETTER.upper(), "  " + LETTER.replace(",", " ;") + "!!", "Unrelated."]
    g = group_near_duplicates(texts, ["a", "b", "c", "d"])
    assert len(g.clusters) == 1
    assert g.clusters[0].member_ids == ("a", "b", "c")
    assert g.clusters[0].size == 3
    assert g.singletons == 1
    assert np.allclose(g.similarity[:3], 1.0)


def test_near_duplicate_with_personal_story_joins_and_story_is_surfaced() -> None:
    member = LETTER + " " + STORY
    g = group_near_duplicates([LETTER, LETTER, member, "Spectrum auctions for rural areas."])
    assert _same_cluster(g, 0, 2)
    assert g.clusters[0].template_index == 0  # the unedited letter is the most central member
    added = unique_additions(LETTER, member)
    assert added == STORY.rstrip(".")
    assert "quilts" in campaign_additions([LETTER, LETTER, member, "x"], g)[2]
    assert unique_additions(LETTER, LETTER.upper()) == ""


def test_story_in_the_middle_is_surfaced_with_original_case() -> None:
    sentences = LETTER.split(". ")
    member = sentences[0] + ". " + STORY + " " + sentences[1]
    added = unique_additions(LETTER, member)
    assert "My grandmother sells quilts" in added
    assert "commission" not in added


def test_different_texts_are_never_merged() -> None:
    rng = random.Random(1)
    texts = [_words(rng, 60) for _ in range(300)]
    g = group_near_duplicates(texts, threshold=0.3)
    assert g.clusters == ()
    assert g.singletons == 300


def test_same_topic_comments_sharing_vocabulary_stay_apart() -> None:
    rng = random.Random(2)
    topic = LETTER.lower().replace(",", "").replace(".", "").split()
    texts = [" ".join(rng.sample(topic, len(topic))) for _ in range(200)]
    g = group_near_duplicates(texts)
    for c in g.clusters:
        t = texts[c.template_index]
        assert all(_jaccard(t, texts[i]) >= 0.5 for i in c.member_indices)


def _pair_at(rng: random.Random, target: float) -> tuple[str, str, float]:
    """Two texts whose 1-shingle Jaccard is close to `target`."""
    shared = [f"s{i}" for i in range(200)]
    n_own = round(200 * (1 - target) / (2 * target)) if target < 1 else 0
    a = shared + [f"a{i}" for i in range(n_own)]
    b = shared + [f"b{i}" for i in range(n_own)]
    rng.shuffle(a)
    rng.shuffle(b)
    x, y = " ".join(a), " ".join(b)
    return x, y, _jaccard(x, y, 1)


@pytest.mark.parametrize("target", [0.4, 0.55, 0.7])
def test_threshold_edge_is_exact(target: float) -> None:
    """At exactly J the pair is kept whenever LSH proposes it (P about 0.9 per seed, see
    docs); just above J it is never kept, whatever the seed: verification is exact."""
    x, y, j = _pair_at(random.Random(3), target)
    above = [group_near_duplicates([x, y], threshold=j, shingle_size=1, seed=s) for s in range(5)]
    below = [
        group_near_duplicates([x, y], threshold=min(1.0, j + 0.01), shingle_size=1, seed=s)
        for s in range(5)
    ]
    found = [g for g in above if _same_cluster(g, 0, 1)]
    assert len(found) >= 3
    assert all(g.similarity[1] == pytest.approx(j) for g in found)
    assert not any(_same_cluster(g, 0, 1) for g in below)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "نحن ندعم حيادية الشبكة لأن الإنترنت المفتوح يحمي حرية التعبير والمنافسة العادلة في كل مكان",
            "نحن ندعم حيادية الشبكة لأن الإنترنت المفتوح يحمي حرية التعبير والمنافسة العادلة في كل مكان من العالم",
        ),
        (
            "我们支持网络中立原则，因为开放的互联网保护言论自由和公平竞争，对每个人都很重要。",  # noqa: RUF001
            "我们支持网络中立原则，因为开放的互联网保护言论自由和公平竞争，对所有人都很重要。",  # noqa: RUF001
        ),
        (
            "Мы поддерживаем сетевой нейтралитет, потому что открытый интернет защищает свободу слова.",
            "Мы поддерживаем сетевой нейтралитет, потому что открытый интернет защищает свободу слова и конкуренцию.",
        ),
    ],
    ids=["arabic", "chinese", "cyrillic"],
)
def test_non_latin_scripts(a: str, b: str) -> None:
    other = "Completely unrelated remark about spectrum auctions and satellite licences."
    g = group_near_duplicates([a, b, other])
    assert _same_cluster(g, 0, 1)
    assert g.labels[2] == -1
    assert unique_additions(a, b) != ""


def test_chinese_is_tokenised_by_character() -> None:
    assert tokenize("网络中立 ok") == ["网", "络", "中", "立", "ok"]
    assert tokenize("كَتَبَ الولد") == ["كَتَبَ", "الولد"]


def test_empty_input_and_single_text() -> None:
    empty = group_near_duplicates([])
    assert empty.clusters == ()
    assert empty.singletons == 0
    one = group_near_duplicates(["just one comment"], ["x"])
    assert one.clusters == ()
    assert one.singletons == 1


def test_texts_without_words_are_never_grouped() -> None:
    g = group_near_duplicates(["", "!!!", "...", ""])
    assert g.clusters == ()
    assert g.singletons == 4


def test_bad_parameters_are_rejected() -> None:
    with pytest.raises(ValueError, match="threshold"):
        group_near_duplicates(["a"], threshold=0)
    with pytest.raises(ValueError, match="ids"):
        group_near_duplicates(["a", "b"], ["x"])


def _campaign_corpus(seed: int) -> list[str]:
    rng = random.Random(seed)
    templates = [_words(rng, 120) for _ in range(5)]
    texts = []
    for _ in range(150):
        words = rng.choice(templates).split()
        if rng.random() < 0.5:
            cut = rng.randrange(len(words))
            words[cut:cut] = _words(rng, 15).split()
        texts.append(" ".join(words))
    texts += [_words(rng, 100) for _ in range(50)]
    return texts


def test_deterministic_for_a_seed_and_independent_of_jobs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(near_duplicates, "_BATCH", 16)  # enough batches for worker processes
    texts = _campaign_corpus(4)
    a = group_near_duplicates(texts, seed=7)
    b = group_near_duplicates(texts, seed=7)
    c = NearDuplicateGrouper(seed=7, n_jobs=2).fit(texts).groups_
    assert a.clusters == b.clusters
    assert (a.labels == b.labels).all()
    assert a.clusters == c.clusters
    assert len(a.clusters) == 5
    assert a.singletons == 50


def test_estimator_interface() -> None:
    model = NearDuplicateGrouper(threshold=0.6, seed=1)
    assert model.get_params()["threshold"] == 0.6
    labels = model.fit_predict([LETTER, LETTER + " " + STORY, "other text entirely"])
    assert labels.tolist() == [0, 0, -1]
    assert model.seconds_ >= 0


def test_choose_bands_puts_threshold_on_the_steep_part() -> None:
    bands, rows = choose_bands(0.5, 128)
    assert bands * rows <= 128
    assert collision_probability(0.5, bands, rows) > 0.5
    assert collision_probability(0.2, bands, rows) < 0.2


def test_jaccard_pairs_match_python_sets() -> None:
    rng = random.Random(5)
    docs = [_words(rng, 40) for _ in range(5)] + ["a b c d e f", "a b c d e g"]
    tokens = [[t.encode() for t in tokenize(d)] for d in docs]
    sk = sketch_tokens(tokens, shingle_size=3, num_perm=64, seed=0)
    a = np.array([5, 0, 1], dtype=np.int64)
    b = np.array([6, 0, 2], dtype=np.int64)
    got = jaccard_pairs(sk, a, b)
    want = [_jaccard(docs[i], docs[j]) for i, j in zip(a, b, strict=True)]
    assert got == pytest.approx(want)


word = st.sampled_from([f"w{i}" for i in range(60)])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(word, min_size=1, max_size=30).map(" ".join), max_size=25),
    st.floats(0.2, 1.0),
)
def test_property_every_member_is_verified_against_its_template(
    texts: list[str], threshold: float
) -> None:
    g = group_near_duplicates(texts, threshold=threshold)
    assert g.singletons + sum(c.size for c in g.clusters) == len(texts)
    seen: set[int] = set()
    for c in g.clusters:
        assert c.size == len(c.member_indices) >= 2
        assert c.template_index in c.member_indices
        assert not seen & set(c.member_indices)
        seen |= set(c.member_indices)
        for i in c.member_indices:
            assert _jaccard(texts[c.template_index], texts[i]) >= threshold - 1e-9
    sizes = [c.size for c in g.clusters]
    assert sizes == sorted(sizes, reverse=True)


@settings(max_examples=30, deadline=None)
@given(st.lists(word, min_size=3, max_size=40), st.integers(0, 3))
def test_property_exact_copies_always_cluster(words: list[str], copies: int) -> None:
    text = " ".join(words)
    texts = [text, text.upper() + "!"] + [f" {text} "] * copies
    g = group_near_duplicates(texts)
    assert len(g.clusters) == 1
    assert g.clusters[0].size == len(texts)
