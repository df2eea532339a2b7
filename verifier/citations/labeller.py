"""The sequence labeller: a BiLSTM-CRF run in numpy on weights shipped as package data.

The model was trained by ``tools/train_parser.py`` (PyTorch, kept out of the
wheel) on the public labelled sets in ``../shared/data`` and exported as fp16
``model.npz``. Inference here is plain numpy: embeddings (word, shape, hashed
prefix and suffix) and the flag vector of ``tokens.features`` → one BiLSTM
layer → per-label scores → Viterbi for the best labels and forward-backward
for each token's marginal probability (the confidence of a field).

The model loads lazily, once, on the first call.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, NamedTuple

from .tokens import N_FLAGS, features, tokenise

if TYPE_CHECKING:
    import numpy as np

LABELS = (
    "other", "author", "editor", "translator", "title", "container", "volume", "issue", "pages", "date",
    "publisher", "place", "url", "doi", "isbn", "accessed", "edition", "note",
)
MODEL_FILE = "model.npz"
MAX_TOKENS = 400  # a longer string is cut (no reference is this long; it bounds the work)


class Labelled(NamedTuple):
    """One string's tokens, their labels and each label's marginal probability."""

    text: str
    spans: list[tuple[int, int]]
    labels: list[str]
    probs: list[float]


def model_bytes() -> bytes:
    return resources.files("verifier.citations").joinpath("data", MODEL_FILE).read_bytes()


def model_sha256() -> str:
    return hashlib.sha256(model_bytes()).hexdigest()


class Model:
    """The exported weights, as float32 arrays, and the vocabularies."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        import numpy as np

        def f32(name: str) -> np.ndarray:
            return np.ascontiguousarray(arrays[name], dtype=np.float32)

        self.words = {w: i + 2 for i, w in enumerate(bytes(arrays["vocab"]).decode("utf-8").split("\n"))}
        self.shapes = {w: i + 2 for i, w in enumerate(bytes(arrays["shapes"]).decode("utf-8").split("\n"))}
        self.E_word, self.E_shape = f32("emb_word"), f32("emb_shape")
        self.E_pre, self.E_suf = f32("emb_prefix"), f32("emb_suffix")
        self.lstm = []
        for d in ("fw", "bw"):
            w_ih, w_hh = f32(f"{d}_w_ih"), f32(f"{d}_w_hh")
            self.lstm.append((np.ascontiguousarray(w_ih.T), np.ascontiguousarray(w_hh.T), f32(f"{d}_b")))
        self.W_out, self.b_out = np.ascontiguousarray(f32("out_w").T), f32("out_b")
        self.trans, self.start, self.end = f32("crf_trans"), f32("crf_start"), f32("crf_end")
        labels = tuple(bytes(arrays["labels"]).decode("utf-8").split("\n"))
        if labels != LABELS or self.E_pre.shape[0] == 0:
            raise ValueError("the model's labels are not the parser's")
        self.n_flags = N_FLAGS

    def inputs(self, feats: list) -> tuple[np.ndarray, np.ndarray]:
        """The input vectors ``[B, T, D]`` and mask ``[B, T]`` for a batch of ``tokens.features``."""
        import numpy as np

        B, T = len(feats), max((len(f.words) for f in feats), default=0)
        wid = np.zeros((B, T), dtype=np.int64)
        sid = np.zeros((B, T), dtype=np.int64)
        pid = np.zeros((B, T), dtype=np.int64)
        xid = np.zeros((B, T), dtype=np.int64)
        flags = np.zeros((B, T, self.n_flags), dtype=np.float32)
        mask = np.zeros((B, T), dtype=bool)
        words, shapes = self.words, self.shapes
        for b, f in enumerate(feats):
            n = len(f.words)
            wid[b, :n] = [words.get(w, 1) for w in f.words]
            sid[b, :n] = [shapes.get(s, 1) for s in f.shapes]
            pid[b, :n] = f.prefixes
            xid[b, :n] = f.suffixes
            mask[b, :n] = True
            for t, fl in enumerate(f.flags):
                flags[b, t, fl] = 1.0
        x = np.concatenate(
            [self.E_word[wid], self.E_shape[sid], self.E_pre[pid], self.E_suf[xid], flags], axis=2
        )
        return x, mask

    def emissions(self, x: np.ndarray, mask: np.ndarray) -> np.ndarray:
        import numpy as np

        B, T, _ = x.shape
        outs = []
        for (w_ih, w_hh, b), reverse in zip(self.lstm, (False, True), strict=True):
            H = w_hh.shape[0]
            gates_x = x @ w_ih + b  # [B, T, 4H]
            h = np.zeros((B, H), dtype=np.float32)
            c = np.zeros((B, H), dtype=np.float32)
            out = np.zeros((B, T, H), dtype=np.float32)
            for t in range(T - 1, -1, -1) if reverse else range(T):
                g = gates_x[:, t] + h @ w_hh
                i = _sigmoid(g[:, :H])
                f = _sigmoid(g[:, H : 2 * H])
                gg = np.tanh(g[:, 2 * H : 3 * H])
                o = _sigmoid(g[:, 3 * H :])
                c_new = f * c + i * gg
                h_new = o * np.tanh(c_new)
                m = mask[:, t, None]
                c = np.where(m, c_new, c)
                h = np.where(m, h_new, h)
                out[:, t] = h_new
            outs.append(out)
        hidden = np.concatenate(outs, axis=2)
        return hidden @ self.W_out + self.b_out

    def decode(self, em: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Viterbi labels ``[B, T]`` and the marginal probability of each chosen label ``[B, T]``."""
        import numpy as np

        B, T, L = em.shape
        trans = self.trans
        # Viterbi
        score = self.start + em[:, 0]
        back = np.zeros((B, T, L), dtype=np.int64)
        for t in range(1, T):
            cand = score[:, :, None] + trans[None]  # [B, from, to]
            best = cand.argmax(axis=1)
            new = np.take_along_axis(cand, best[:, None, :], axis=1)[:, 0] + em[:, t]
            m = mask[:, t, None]
            score = np.where(m, new, score)
            back[:, t] = np.where(m, best, np.arange(L)[None, :])
        score = score + self.end
        labels = np.zeros((B, T), dtype=np.int64)
        cur = score.argmax(axis=1)
        for t in range(T - 1, -1, -1):
            labels[:, t] = cur
            cur = back[np.arange(B), t, cur]
        # Forward-backward in log space, for the marginals.
        alpha = np.zeros((B, T, L), dtype=np.float32)
        alpha[:, 0] = self.start + em[:, 0]
        for t in range(1, T):
            a = _logsumexp(alpha[:, t - 1, :, None] + trans[None], axis=1) + em[:, t]
            alpha[:, t] = np.where(mask[:, t, None], a, alpha[:, t - 1])
        lengths = mask.sum(axis=1)
        beta = np.zeros((B, T, L), dtype=np.float32)
        last = np.maximum(lengths - 1, 0)
        beta[np.arange(B), last] = self.end
        for t in range(T - 2, -1, -1):
            bt = _logsumexp(trans[None] + (em[:, t + 1] + beta[:, t + 1])[:, None, :], axis=2)
            inside = (t < last)[:, None]
            beta[:, t] = np.where(inside, bt, beta[:, t])
        log_z = _logsumexp(alpha[np.arange(B), last] + self.end, axis=1)
        marg = np.exp(alpha + beta - log_z[:, None, None])
        probs = np.take_along_axis(marg, labels[:, :, None], axis=2)[:, :, 0]
        return labels, probs

    def label(self, texts: list[str]) -> list[Labelled]:
        toks = [tokenise(t)[:MAX_TOKENS] for t in texts]
        out: list[Labelled | None] = [None] * len(texts)
        todo = []
        for k, (t, sp) in enumerate(zip(texts, toks, strict=True)):
            if sp:
                todo.append(k)
            else:
                out[k] = Labelled(t, [], [], [])
        # Batches of similar length waste little on padding.
        todo.sort(key=lambda k: len(toks[k]))
        for i in range(0, len(todo), 64):
            chunk = todo[i : i + 64]
            feats = [features(texts[k], toks[k]) for k in chunk]
            x, mask = self.inputs(feats)
            labels, probs = self.decode(self.emissions(x, mask), mask)
            for b, k in enumerate(chunk):
                n = len(toks[k])
                out[k] = Labelled(
                    texts[k], toks[k], [LABELS[j] for j in labels[b, :n]], [float(p) for p in probs[b, :n]]
                )
        return [o for o in out if o is not None]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    import numpy as np

    return 0.5 * (np.tanh(0.5 * x) + 1.0)


def _logsumexp(x: np.ndarray, axis: int) -> np.ndarray:
    import numpy as np

    m = x.max(axis=axis, keepdims=True)
    return (np.log(np.exp(x - m).sum(axis=axis, keepdims=True)) + m).squeeze(axis)


@lru_cache(maxsize=1)
def model() -> Model:
    """The shipped model (loaded once, on first use)."""
    import io

    if _OVERRIDE:
        return _OVERRIDE[0]

    import numpy as np

    with np.load(io.BytesIO(model_bytes()), allow_pickle=False) as z:
        return Model({k: z[k] for k in z.files})


def label(texts: list[str]) -> list[Labelled]:
    """Label a batch of strings (batching is several times faster than one at a time)."""
    return model().label(texts)


_CACHE: dict[str, Labelled] = {}
_CACHE_MAX = 20000


def label_one(text: str) -> Labelled:
    """One string's labels, cached by string (a document repeats its citations)."""
    hit = _CACHE.get(text)
    if hit is None:
        hit = model().label([text])[0]
        _remember(text, hit)
    return hit


def prime(texts: list[str]) -> None:
    """Label the strings not yet cached in one batch, so later ``label_one`` calls are cache hits."""
    todo = list(dict.fromkeys(t for t in texts if t not in _CACHE))
    for t, lab in zip(todo, model().label(todo) if todo else [], strict=True):
        _remember(t, lab)


def _remember(text: str, lab: Labelled) -> None:
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.clear()
    _CACHE[text] = lab


def use_model(path: str | None) -> None:
    """Run on the weights at ``path`` instead of the shipped ones (None: back to them); for the benchmark."""
    import numpy as np

    _CACHE.clear()
    model.cache_clear()
    if path is not None:
        with np.load(path, allow_pickle=False) as z:
            loaded = Model({k: z[k] for k in z.files})
        _OVERRIDE[:] = [loaded]
    else:
        _OVERRIDE.clear()


_OVERRIDE: list[Model] = []
