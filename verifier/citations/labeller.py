"""The sequence labeller: a BiLSTM-CRF run in numpy on weights shipped as package data.

The model was trained by ``tools/train_parser.py`` (PyTorch, kept out of the
wheel) on the public labelled sets in ``../shared/data`` and exported as fp16
``model.npz``. Inference here is plain numpy: embeddings (word, shape, hashed
prefix and suffix) and the flag vector of ``tokens.features`` → one BiLSTM
layer → per-label scores → Viterbi for the best labels and forward-backward
for each token's marginal probability (the confidence of a field). Strings are
labelled in batches of similar length; the work is in whole-batch matrix
products, so Python's loops run over time steps, not over tokens or labels.

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
BATCH = 64  # strings labelled together (sorted by length, so little padding)
MAX_CHARS = 20  # a word's first characters that the character CNN reads (as tools/train_parser.py trains it)
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
    """The exported weights, as float32 arrays laid out for inference, and the vocabularies."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        import numpy as np

        def f32(name: str) -> np.ndarray:
            return np.ascontiguousarray(arrays[name], dtype=np.float32)

        self.words = {w: i + 2 for i, w in enumerate(bytes(arrays["vocab"]).decode("utf-8").split("\n"))}
        self.shapes = {w: i + 2 for i, w in enumerate(bytes(arrays["shapes"]).decode("utf-8").split("\n"))}
        self.E_word, self.E_shape = f32("emb_word"), f32("emb_shape")
        self.E_pre, self.E_suf = f32("emb_prefix"), f32("emb_suffix")
        # PyTorch orders an LSTM's gates i, f, g, o. Here they are i, f, o, g, and the rows of the three
        # sigmoid gates are halved, so that one tanh over all four gives them: sigmoid(x) = (tanh(x/2) + 1)/2.
        H = arrays["fw_w_hh"].shape[1]
        order = np.r_[0 : 2 * H, 3 * H : 4 * H, 2 * H : 3 * H]
        scale = np.r_[np.full(3 * H, 0.5), np.ones(H)].astype(np.float32)
        w_ih, w_hh, bias = [], [], []
        for d in ("fw", "bw"):
            w_ih.append(f32(f"{d}_w_ih")[order].T * scale)
            w_hh.append(f32(f"{d}_w_hh")[order].T * scale)
            bias.append(f32(f"{d}_b")[order] * scale)
        self.hidden = H
        self.W_ih = np.ascontiguousarray(np.concatenate(w_ih, axis=1))  # [D, 8H]: forward gates, backward gates
        self.b_ih = np.concatenate(bias)
        self.W_hh = np.ascontiguousarray(np.stack(w_hh))  # [2, H, 4H]
        self.W_out, self.b_out = np.ascontiguousarray(f32("out_w").T), f32("out_b")
        self._crf(f32("crf_trans"), f32("crf_start"), f32("crf_end"))
        # The character CNN, when the model has one: its output is appended to each token's input vector.
        self.chars: dict[str, int] | None = None
        if "emb_char" in arrays:
            self.chars = {c: i + 2 for i, c in enumerate(bytes(arrays["char_vocab"]).decode("utf-32-le"))}
            self.E_char = f32("emb_char")
            conv = f32("char_conv_w")  # [F, dim, 3], PyTorch's Conv1d layout
            # As one matrix over each position's window of three embeddings: row k*dim + i is conv[:, i, k].
            self.W_char = np.ascontiguousarray(conv.transpose(2, 1, 0).reshape(-1, conv.shape[0]))
            self.b_char = f32("char_conv_b")
        self._char_cache: dict[str, np.ndarray] = {}
        labels = tuple(bytes(arrays["labels"]).decode("utf-8").split("\n"))
        if labels != LABELS or self.E_pre.shape[0] == 0:
            raise ValueError("the model's labels are not the parser's")
        # Flags are only ever added at the end (tokens.FLAGS): a model trained before a flag existed reads the
        # ones before it. Its input width says how many it knows.
        embedded = sum(e.shape[1] for e in (self.E_word, self.E_shape, self.E_pre, self.E_suf))
        self.n_flags = arrays["fw_w_ih"].shape[1] - embedded - (self.W_char.shape[1] if self.chars else 0)
        if not 0 < self.n_flags <= N_FLAGS:
            raise ValueError("the model's inputs are not the parser's features")

    def _crf(self, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> None:
        import numpy as np

        self.trans, self.start, self.end = trans, start, end
        # The CRF's scores as probabilities, for forward-backward by matrix products (float64: no underflow).
        self.p_trans = np.exp(self.trans.astype(np.float64))
        self.p_start = np.exp(self.start.astype(np.float64) - self.start.max())
        self.p_end = np.exp(self.end.astype(np.float64) - self.end.max())

    def scores(self, feats: list) -> tuple[np.ndarray, np.ndarray]:
        """The label scores ``[B, T, L]`` and mask ``[B, T]`` of a batch of ``tokens.features``."""
        x, mask = self.inputs(feats)
        return self.emissions(x, mask), mask

    def inputs(self, feats: list) -> tuple[np.ndarray, np.ndarray]:
        """The input vectors ``[B, T, D]`` and mask ``[B, T]`` for a batch of ``tokens.features``."""
        import numpy as np

        B, T = len(feats), max((len(f.words) for f in feats), default=0)
        F = self.n_flags
        wid, sid, pid, xid, on = [], [], [], [], []
        words, shapes = self.words, self.shapes
        pad = [0] * T
        for b, f in enumerate(feats):
            n = len(f.words)
            wid += [words.get(w, 1) for w in f.words]
            sid += [shapes.get(s, 1) for s in f.shapes]
            pid += f.prefixes
            xid += f.suffixes
            for ids in (wid, sid, pid, xid):
                ids += pad[n:]
            base = b * T * F
            if F == N_FLAGS:
                on += [base + t * F + k for t, fl in enumerate(f.flags) for k in fl]
            else:
                on += [base + t * F + k for t, fl in enumerate(f.flags) for k in fl if k < F]
        flags = np.zeros(B * T * F, dtype=np.float32)
        flags[on] = 1.0
        x = np.concatenate(
            [
                self.E_word[wid].reshape(B, T, -1),
                self.E_shape[sid].reshape(B, T, -1),
                self.E_pre[pid].reshape(B, T, -1),
                self.E_suf[xid].reshape(B, T, -1),
                flags.reshape(B, T, F),
            ],
            axis=2,
        )
        if self.chars is not None:
            uniq = list(dict.fromkeys(w for f in feats for w in f.words))
            index = {w: i for i, w in enumerate(uniq)}
            vecs = self._char_vectors(uniq)
            cid = [index[w] for f in feats for w in f.words + [uniq[0]] * (T - len(f.words))]
            x = np.concatenate([x, vecs[cid].reshape(B, T, -1)], axis=2)
        lengths = np.array([len(f.words) for f in feats])
        return x, np.arange(T)[None, :] < lengths[:, None]

    def _char_vectors(self, words: list[str]) -> np.ndarray:
        """The character CNN's vector ``[len(words), F]`` of each word, cached by word.

        Embeddings of each word's first ``MAX_CHARS`` characters (id 0 pads, and its embedding is zero, as
        the convolution's own zero padding), each position's window of three as one row, one matrix
        product, the maximum over the word's own positions, tanh.
        """
        import numpy as np

        cache = self._char_cache
        todo = [w for w in words if w not in cache]
        if todo:
            chars = self.chars or {}
            C = max(min(len(w), MAX_CHARS) for w in todo) or 1
            ids = np.zeros((len(todo), C + 2), dtype=np.int64)
            lengths = np.empty(len(todo), dtype=np.int64)
            for r, w in enumerate(todo):
                row = [chars.get(c, 1) for c in w[:MAX_CHARS]] or [1]
                ids[r, 1 : len(row) + 1] = row
                lengths[r] = len(row)
            emb = self.E_char[ids]  # [U, C + 2, dim]
            windows = np.concatenate([emb[:, 0:C], emb[:, 1 : C + 1], emb[:, 2 : C + 2]], axis=2)
            conv = windows @ self.W_char + self.b_char  # [U, C, F]
            conv[np.arange(C)[None, :] >= lengths[:, None]] = -1e4
            vecs = np.tanh(conv.max(axis=1))
            if len(cache) > 50000:
                cache.clear()
            for w, v in zip(todo, vecs, strict=True):
                cache[w] = v
        return np.stack([cache[w] for w in words])

    def emissions(self, x: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Label scores ``[B, T, L]``.

        Both directions of the BiLSTM run in one loop over time, as one batched matrix product a step.
        The backward direction reads each string reversed in place (its padding stays at the end), so
        neither direction needs a mask: what a step computes past a string's end is never read.
        """
        import numpy as np

        B, T, _ = x.shape
        H = self.hidden
        # The input projection of the real tokens only (a third of a document's batch is padding), placed
        # at each step: the forward direction's at t, the backward one's at the string's mirrored position.
        gx = x[mask] @ self.W_ih  # [N, 8H], in (string, position) order
        gx += self.b_ih
        lengths = mask.sum(axis=1)
        t_idx = np.arange(T)[None, :]
        rev = np.where(t_idx < lengths[:, None], lengths[:, None] - 1 - t_idx, t_idx)  # [B, T]
        steps = np.zeros((T, 2, B, 4 * H), dtype=np.float32)
        b_idx, t_real = np.nonzero(mask)  # row-major, as x[mask]
        steps[t_real, 0, b_idx] = gx[:, : 4 * H]
        steps[rev[b_idx, t_real], 1, b_idx] = gx[:, 4 * H :]
        h = np.zeros((2, B, H), dtype=np.float32)
        c = np.zeros((2, B, H), dtype=np.float32)
        tc = np.empty_like(c)
        out = np.empty((T, 2, B, H), dtype=np.float32)
        w_hh = self.W_hh
        for t in range(T):
            g = steps[t]
            g += np.matmul(h, w_hh)
            np.tanh(g, out=g)
            s = g[:, :, : 3 * H]
            s *= 0.5
            s += 0.5
            c *= s[:, :, H : 2 * H]
            c += s[:, :, :H] * g[:, :, 3 * H :]
            np.tanh(c, out=tc)
            h = out[t]
            np.multiply(s[:, :, 2 * H :], tc, out=h)
        rows = np.arange(B)[:, None]
        fw = out[:, 0].transpose(1, 0, 2)  # [B, T, H]
        bw = out[:, 1].transpose(1, 0, 2)[rows, rev]
        return np.concatenate([fw, bw], axis=2) @ self.W_out + self.b_out

    def decode(self, em: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Viterbi labels ``[B, T]`` and the marginal probability of each chosen label ``[B, T]``."""
        import numpy as np

        B, T, L = em.shape
        trans = self.trans
        every = np.arange(L)[None, :]
        # Viterbi
        score = self.start + em[:, 0]
        back = np.zeros((T, B, L), dtype=np.int64)
        for t in range(1, T):
            cand = score[:, :, None] + trans  # [B, from, to]
            m = mask[:, t, None]
            back[t] = np.where(m, cand.argmax(axis=1), every)
            score = np.where(m, cand.max(axis=1) + em[:, t], score)
        score = score + self.end
        labels = np.zeros((B, T), dtype=np.int64)
        cur = score.argmax(axis=1)
        rows = np.arange(B)
        for t in range(T - 1, -1, -1):
            labels[:, t] = cur
            cur = back[t, rows, cur]
        # Forward-backward with probabilities scaled at every step (a product of [B, L] by [L, L] a step).
        p = np.exp(em - em.max(axis=2, keepdims=True), dtype=np.float64)
        alpha = np.empty((T, B, L))
        a = self.p_start * p[:, 0]
        alpha[0] = a / a.sum(axis=1, keepdims=True)
        for t in range(1, T):
            a = (alpha[t - 1] @ self.p_trans) * p[:, t]
            alpha[t] = a / a.sum(axis=1, keepdims=True)
        last = mask.sum(axis=1) - 1
        beta = np.empty((T, B, L))
        beta[T - 1] = self.p_end
        t_trans = self.p_trans.T
        for t in range(T - 2, -1, -1):
            bt = (p[:, t + 1] * beta[t + 1]) @ t_trans
            beta[t] = np.where((t < last)[:, None], bt / bt.sum(axis=1, keepdims=True), self.p_end)
        marg = alpha * beta  # [T, B, L]
        chosen = np.take_along_axis(marg, labels.T[:, :, None], axis=2)[:, :, 0]
        probs = (chosen / marg.sum(axis=2)).T
        return labels, probs.astype(np.float32)

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
        for i in range(0, len(todo), BATCH):
            chunk = todo[i : i + BATCH]
            feats = [features(texts[k], toks[k]) for k in chunk]
            labels, probs = self.decode(*self.scores(feats))
            names = [[LABELS[j] for j in row] for row in labels.tolist()]
            plist = probs.tolist()
            for b, k in enumerate(chunk):
                n = len(toks[k])
                out[k] = Labelled(texts[k], toks[k], names[b][:n], plist[b][:n])
        return [o for o in out if o is not None]


class Ensemble(Model):
    """Networks trained alike with different seeds, their label scores averaged before one CRF decodes them.

    The model file holds each member's arrays under a prefix (``m0/emb_word``, ``m1/emb_word`` …; see
    ``tools/ensemble_models.py``). Averaging the emissions (and the CRF's transition scores) of two seeds
    evens out the errors one seed makes alone; it costs one more BiLSTM pass a batch.
    """

    def __init__(self, members: list[Model]) -> None:  # noqa: D107 - the members hold the weights
        import numpy as np

        self.members = members
        self._crf(*(np.mean([getattr(m, k) for m in members], axis=0) for k in ("trans", "start", "end")))

    def scores(self, feats: list) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np

        ems = [m.scores(feats) for m in self.members]
        return np.mean([em for em, _ in ems], axis=0), ems[0][1]


def load(arrays: dict[str, np.ndarray]) -> Model:
    """A model from the arrays of a model file: one network, or an ensemble (arrays under ``m0/``, ``m1/`` …)."""
    prefixes = sorted({k.split("/", 1)[0] for k in arrays if "/" in k})
    if not prefixes:
        return Model(arrays)
    return Ensemble([Model({k.split("/", 1)[1]: v for k, v in arrays.items() if k.startswith(p + "/")})
                     for p in prefixes])


@lru_cache(maxsize=1)
def model() -> Model:
    """The shipped model (loaded once, on first use)."""
    import io

    if _OVERRIDE:
        return _OVERRIDE[0]

    import numpy as np

    with np.load(io.BytesIO(model_bytes()), allow_pickle=False) as z:
        return load({k: z[k] for k in z.files})


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
            loaded = load({k: z[k] for k in z.files})
        _OVERRIDE[:] = [loaded]
    else:
        _OVERRIDE.clear()


_OVERRIDE: list[Model] = []
