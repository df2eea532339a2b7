"""The shipped labeller (verifier/citations/labeller.py): the model file, numpy inference, batching, caching."""

from __future__ import annotations

import io
import zipfile

from verifier.citations import labeller
from verifier.citations.fields import parse_strict

# The model file shipped in the package; retraining (tools/train_parser.py) changes it, and this with it.
MODEL_SHA256 = "ea3c07d3491fe40f8d2a5f87991a05a8e7e868136bb2b30f16afe1c34db3a18f"


def test_the_shipped_model_is_the_pinned_one() -> None:
    assert labeller.model_sha256() == MODEL_SHA256


def test_the_model_is_small_fp16_weights_without_pickles() -> None:
    data = labeller.model_bytes()
    assert len(data) < 15_000_000
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert all(name.endswith(".npy") for name in z.namelist())


def test_the_model_labels_a_reference() -> None:
    (lab,) = labeller.label(["Doe, J. (1999). A study of things. Journal of Stuff, 12(3), 45-67."])
    assert set(lab.labels) <= set(labeller.LABELS)
    assert all(0.0 <= p <= 1.0 + 1e-6 for p in lab.probs)
    by_word = {lab.text[s:e]: label for (s, e), label in zip(lab.spans, lab.labels, strict=True)}
    assert by_word["Doe"] == "author"
    assert by_word["1999"] == "date"
    assert by_word["study"] == "title"
    assert by_word["Stuff"] == "container"
    assert by_word["45"] == "pages"


def test_batched_labels_equal_one_by_one() -> None:
    texts = [
        "Doe, J. (1999). A study of things. Journal of Stuff, 12(3), 45-67.",
        "Rossi M., Storia di Venezia, Milano 1966.",
        "A. Smith, The Book (Oxford: Clarendon Press, 1990), p. 4.",
        "",
    ]
    batched = labeller.label(texts)
    for text, lab in zip(texts, batched, strict=True):
        (alone,) = labeller.label([text])
        assert alone.labels == lab.labels
        assert all(abs(a - b) < 1e-4 for a, b in zip(alone.probs, lab.probs, strict=True))


def test_parse_gives_fields_with_confidence() -> None:
    kind, fields, parsed = parse_strict("Doe, J. (1999). A study of things. Journal of Stuff, 12(3), 45-67.")
    assert parsed and kind.value == "article"
    assert fields.title == "A study of things" and fields.container == "Journal of Stuff"
    conf = dict(fields.confidence)
    assert set(conf) >= {"authors", "title", "container", "date"}
    assert all(0.0 < p <= 1.0 for p in conf.values())


def test_labels_are_cached_by_string() -> None:
    text = "Roe, R. (2001). Cached once. Some Journal, 4, 1-2."
    labeller._CACHE.pop(text, None)
    first = labeller.label_one(text)
    assert labeller.label_one(text) is first


def _arrays(data: bytes) -> dict:
    import numpy as np

    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def _one_network(arrays: dict) -> dict:
    """The arrays of the first network of a model file (an ensemble's members sit under ``m0/``, ``m1/`` …)."""
    if any("/" in k for k in arrays):
        return {k.split("/", 1)[1]: v for k, v in arrays.items() if k.startswith("m0/")}
    return arrays


def test_an_ensemble_averages_its_members_scores() -> None:
    import numpy as np

    net = _one_network(_arrays(labeller.model_bytes()))
    single = labeller.load(net)
    twice = labeller.load({f"m{i}/{k}": v for i in (0, 1) for k, v in net.items()})
    assert isinstance(twice, labeller.Ensemble) and len(twice.members) == 2
    texts = ["Rossi M., Storia di Venezia, Milano 1966.", "Doe, J. (1999). A study. Journal of Stuff, 12(3), 45-67."]
    for a, b in zip(single.label(texts), twice.label(texts), strict=True):
        assert a.labels == b.labels
        assert np.allclose(a.probs, b.probs, atol=1e-5)
    # a member with scores of its own moves the average: a second network that sees every token as a date
    other = dict(net)
    other["out_b"] = np.where(np.arange(len(labeller.LABELS)) == labeller.LABELS.index("date"), 50.0, -50.0)
    mixed = labeller.load({**{f"m0/{k}": v for k, v in net.items()}, **{f"m1/{k}": v for k, v in other.items()}})
    (lab,) = mixed.label(["Rossi M., Storia di Venezia, Milano 1966."])
    assert lab.labels.count("date") > single.label(["Rossi M., Storia di Venezia, Milano 1966."])[0].labels.count("date")


def _without_char_cnn(net: dict) -> dict:
    """The network's arrays without its character CNN, if it has one (its inputs are the last columns)."""
    if "emb_char" not in net:
        return net
    filters = net["char_conv_w"].shape[0]
    out = {k: v for k, v in net.items() if not k.startswith(("char_", "emb_char"))}
    for d in ("fw", "bw"):
        out[f"{d}_w_ih"] = net[f"{d}_w_ih"][:, :-filters]
    return out


def _with_char_cnn(net: dict, filters: int, w_scale: float, seed: int = 3) -> dict:
    """The network's arrays plus a character CNN with random weights, its inputs weighted by ``w_scale``."""
    import numpy as np

    rng = np.random.default_rng(seed)
    chars = "abcdefghijklmnopqrstuvwxyzàéü0123456789.,-"
    net = _without_char_cnn(net)
    out = dict(net)
    out["char_vocab"] = np.frombuffer(chars.encode("utf-32-le"), dtype=np.uint8)
    emb = rng.normal(0, 0.5, (len(chars) + 2, 6)).astype(np.float16)
    emb[0] = 0  # the padding id's embedding is zero, as PyTorch's padding_idx keeps it
    out["emb_char"] = emb
    out["char_conv_w"] = rng.normal(0, 0.5, (filters, 6, 3)).astype(np.float16)
    out["char_conv_b"] = rng.normal(0, 0.5, filters).astype(np.float16)
    for d in ("fw", "bw"):
        w = net[f"{d}_w_ih"]
        extra = (rng.normal(0, 1.0, (w.shape[0], filters)) * w_scale).astype(np.float16)
        out[f"{d}_w_ih"] = np.concatenate([w, extra], axis=1)
    return out


def test_the_character_cnn_reads_each_words_characters() -> None:
    import numpy as np

    arrays = _with_char_cnn(_one_network(_arrays(labeller.model_bytes())), filters=5, w_scale=1.0)
    model = labeller.load(arrays)
    words = ["à", "smith", "", "x" * 30 + "yz", "journal", "smith"]
    got = model._char_vectors(words)
    # the same computation written out position by position: a window of three characters, zero beyond the word
    vocab = {c: i + 2 for i, c in enumerate(bytes(arrays["char_vocab"]).decode("utf-32-le"))}
    emb, conv = arrays["emb_char"].astype(np.float32), arrays["char_conv_w"].astype(np.float32)
    for word, vec in zip(words, got, strict=True):
        ids = [vocab.get(c, 1) for c in word[: labeller.MAX_CHARS]] or [1]
        padded = [0, *ids, 0]
        per_position = [
            sum(conv[:, :, k] @ emb[padded[p + k]] for k in range(3)) + arrays["char_conv_b"].astype(np.float32)
            for p in range(len(ids))
        ]
        assert np.allclose(vec, np.tanh(np.max(per_position, axis=0)), atol=1e-5)
    assert np.allclose(got[1], got[5])  # the same word, the same vector (and cached)


def test_a_model_with_a_character_cnn_labels_like_its_inputs_say() -> None:
    net = _one_network(_arrays(labeller.model_bytes()))
    texts = ["Rossi M., Storia di Venezia, Milano 1966.", "Doe, J. (1999). A study. Journal of Stuff, 12(3), 45-67."]
    plain = labeller.load(_without_char_cnn(net)).label(texts)
    # a CNN whose outputs the LSTM ignores changes nothing; one it listens to changes the labels
    silent = labeller.load(_with_char_cnn(net, filters=4, w_scale=0.0)).label(texts)
    loud = labeller.load(_with_char_cnn(net, filters=4, w_scale=20.0)).label(texts)
    assert [lab.labels for lab in silent] == [lab.labels for lab in plain]
    assert [lab.labels for lab in loud] != [lab.labels for lab in plain]


def test_a_model_trained_before_a_flag_existed_reads_the_flags_it_knows() -> None:
    import numpy as np
    import pytest

    from verifier.citations.tokens import N_FLAGS

    net = _one_network(_arrays(labeller.model_bytes()))
    model = labeller.load(net)
    text = "Rossi M., Storia di Venezia, Milano 1966."
    if model.n_flags == N_FLAGS:  # the shipped model knows every flag: make one that knows one fewer
        last = sum(net[k].shape[1] for k in ("emb_word", "emb_shape", "emb_prefix", "emb_suffix")) + N_FLAGS - 1
        net = {**net, **{f"{d}_w_ih": np.delete(net[f"{d}_w_ih"], last, axis=1) for d in ("fw", "bw")}}
        model = labeller.load(net)
    assert model.n_flags < N_FLAGS
    assert model.label([text])[0].labels  # the extra flags are not read, and nothing breaks
    wider = {**net, **{f"{d}_w_ih": np.zeros((net["fw_w_ih"].shape[0], net["fw_w_ih"].shape[1] + 2 * N_FLAGS))
                       for d in ("fw", "bw")}}
    with pytest.raises(ValueError, match="features"):
        labeller.load(wider)
