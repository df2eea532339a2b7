"""Train the field labeller (BiLSTM-CRF) and export it for numpy inference.

    python3 -m venv .venv-train && .venv-train/bin/pip install torch numpy
    .venv-train/bin/python tools/train_parser.py --seed 1 --out verifier/citations/data/model.npz

Data: the train parts of every set in ../shared/data (``parser_data.splits``,
seeded) plus synthetic note-style citations rendered from training records.
The dev parts are never trained on; the script prints token accuracy on them
after each epoch. PyTorch is needed here only: the package runs the exported
fp16 weights in numpy (``verifier/citations/labeller.py``).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parser_data import Example, splits, synthetic  # noqa: E402

from verifier.citations.labeller import LABELS  # noqa: E402
from verifier.citations.tokens import HASH_BUCKETS, N_FLAGS, features  # noqa: E402

L = len(LABELS)
LAB = {lab: i for i, lab in enumerate(LABELS)}


MAX_CHARS = 20  # a word's first 20 characters feed the character CNN (as in labeller.MAX_CHARS)


class CharCNN(nn.Module):
    """Each word's characters → embeddings → one convolution (width 3) → max over positions → tanh.

    The numpy inference in ``verifier/citations/labeller.py`` (``Model._chars``) computes exactly this.
    """

    def __init__(self, n_chars: int, dim: int, filters: int) -> None:
        super().__init__()
        self.emb = nn.Embedding(n_chars, dim, padding_idx=0)
        self.conv = nn.Conv1d(dim, filters, 3, padding=1)

    def forward(self, chars):  # [B, T, C] character ids, 0 = padding
        B, T, C = chars.shape
        flat = chars.reshape(B * T, C)
        out = self.conv(self.emb(flat).transpose(1, 2))  # [BT, F, C]
        out = out.masked_fill((flat == 0)[:, None, :], -1e4)
        return torch.tanh(out.max(2).values).reshape(B, T, -1)


class Net(nn.Module):
    def __init__(self, n_words: int, n_shapes: int, dw: int, hidden: int, n_chars: int = 0,
                 char_filters: int = 0) -> None:
        super().__init__()
        self.chars = CharCNN(n_chars, 16, char_filters) if char_filters else None
        self.emb_word = nn.Embedding(n_words, dw, padding_idx=0)
        self.emb_shape = nn.Embedding(n_shapes, 16, padding_idx=0)
        self.emb_prefix = nn.Embedding(HASH_BUCKETS, 16)
        self.emb_suffix = nn.Embedding(HASH_BUCKETS, 16)
        self.drop = nn.Dropout(0.25)
        self.lstm = nn.LSTM(dw + 16 + 16 + 16 + N_FLAGS + char_filters, hidden, batch_first=True,
                            bidirectional=True)
        self.out = nn.Linear(2 * hidden, L)
        self.trans = nn.Parameter(torch.zeros(L, L))
        self.start = nn.Parameter(torch.zeros(L))
        self.end = nn.Parameter(torch.zeros(L))

    def emissions(self, w, s, p, x, flags, chars, lengths):
        parts = [self.emb_word(w), self.emb_shape(s), self.emb_prefix(p), self.emb_suffix(x), flags]
        if self.chars is not None:
            parts.append(self.chars(chars))
        inp = torch.cat(parts, 2)
        inp = self.drop(inp)
        packed = nn.utils.rnn.pack_padded_sequence(inp, lengths, batch_first=True, enforce_sorted=False)
        out, _ = self.lstm(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=w.shape[1])
        return self.out(self.drop(out))

    def nll(self, em, tags, mask):
        B, T, _ = em.shape
        # score of the gold path
        score = self.start[tags[:, 0]] + em[:, 0].gather(1, tags[:, :1]).squeeze(1)
        for t in range(1, T):
            m = mask[:, t].float()
            step = self.trans[tags[:, t - 1], tags[:, t]] + em[:, t].gather(1, tags[:, t : t + 1]).squeeze(1)
            score = score + step * m
        last = mask.sum(1) - 1
        score = score + self.end[tags.gather(1, last[:, None]).squeeze(1)]
        # partition
        alpha = self.start + em[:, 0]
        for t in range(1, T):
            a = torch.logsumexp(alpha[:, :, None] + self.trans[None], dim=1) + em[:, t]
            alpha = torch.where(mask[:, t, None], a, alpha)
        log_z = torch.logsumexp(alpha + self.end, dim=1)
        return (log_z - score).mean()


def char_ids(word: str, chars: dict[str, int]) -> list[int]:
    return [chars.get(c, 1) for c in word[:MAX_CHARS]] or [1]


def encode(examples: list[Example], words: dict[str, int], shapes: dict[str, int], chars: dict[str, int]
           ) -> list[tuple]:
    out = []
    for ex in examples:
        if not ex.spans:
            continue
        spans = ex.spans[:150]
        f = features(ex.raw, spans)
        fl = np.zeros((len(spans), N_FLAGS), dtype=np.float32)
        for t, ix in enumerate(f.flags):
            fl[t, ix] = 1.0
        out.append((
            [words.get(w, 1) for w in f.words],
            [shapes.get(s, 1) for s in f.shapes],
            f.prefixes,
            f.suffixes,
            fl,
            [LAB[lab] for lab in ex.labels[:150]],
            [char_ids(w, chars) for w in f.words],
        ))
    return out


def batch(items: list[tuple], word_drop: float = 0.0, rng: random.Random | None = None):
    B, T = len(items), max(len(it[0]) for it in items)
    w = torch.zeros(B, T, dtype=torch.long)
    s = torch.zeros(B, T, dtype=torch.long)
    p = torch.zeros(B, T, dtype=torch.long)
    x = torch.zeros(B, T, dtype=torch.long)
    fl = torch.zeros(B, T, N_FLAGS)
    tags = torch.zeros(B, T, dtype=torch.long)
    mask = torch.zeros(B, T, dtype=torch.bool)
    C = max(len(c) for it in items for c in it[6])
    ch = torch.zeros(B, T, C, dtype=torch.long)
    for b, (wi, si, pi, xi, fi, ti, ci) in enumerate(items):
        for t, cs in enumerate(ci):
            ch[b, t, : len(cs)] = torch.tensor(cs)
        n = len(wi)
        if word_drop and rng is not None:
            wi = [1 if rng.random() < word_drop else v for v in wi]
        w[b, :n] = torch.tensor(wi)
        s[b, :n] = torch.tensor(si)
        p[b, :n] = torch.tensor(pi)
        x[b, :n] = torch.tensor(xi)
        fl[b, :n] = torch.from_numpy(fi)
        tags[b, :n] = torch.tensor(ti)
        mask[b, :n] = True
    return w, s, p, x, fl, ch, tags, mask


def viterbi(net: Net, em, mask):
    B, T, _ = em.shape
    score = net.start + em[:, 0]
    back = []
    for t in range(1, T):
        cand = score[:, :, None] + net.trans[None]
        best, idx = cand.max(1)
        new = best + em[:, t]
        score = torch.where(mask[:, t, None], new, score)
        back.append(torch.where(mask[:, t, None], idx, torch.arange(L)[None]))
    score = score + net.end
    cur = score.argmax(1)
    path = [cur]
    for bp in reversed(back):
        cur = bp.gather(1, cur[:, None]).squeeze(1)
        path.append(cur)
    return torch.stack(path[::-1], 1)


def evaluate(net: Net, items: list[tuple]) -> float:
    net.eval()
    right = total = 0
    with torch.no_grad():
        for i in range(0, len(items), 128):
            w, s, p, x, fl, ch, tags, mask = batch(items[i : i + 128])
            em = net.emissions(w, s, p, x, fl, ch, mask.sum(1))
            pred = viterbi(net, em, mask)
            right += int(((pred == tags) & mask).sum())
            total += int(mask.sum())
    net.train()
    return right / max(total, 1)


def export(net: Net, words: list[str], shapes: list[str], chars: list[str], path: Path) -> None:
    sd = {k: v.detach().numpy() for k, v in net.state_dict().items()}

    def h(a):
        return a.astype(np.float16)

    arrays = {
        "vocab": np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8),
        "shapes": np.frombuffer("\n".join(shapes).encode("utf-8"), dtype=np.uint8),
        "labels": np.frombuffer("\n".join(LABELS).encode("utf-8"), dtype=np.uint8),
        "emb_word": h(sd["emb_word.weight"]),
        "emb_shape": h(sd["emb_shape.weight"]),
        "emb_prefix": h(sd["emb_prefix.weight"]),
        "emb_suffix": h(sd["emb_suffix.weight"]),
        "fw_w_ih": h(sd["lstm.weight_ih_l0"]),
        "fw_w_hh": h(sd["lstm.weight_hh_l0"]),
        "fw_b": h(sd["lstm.bias_ih_l0"] + sd["lstm.bias_hh_l0"]),
        "bw_w_ih": h(sd["lstm.weight_ih_l0_reverse"]),
        "bw_w_hh": h(sd["lstm.weight_hh_l0_reverse"]),
        "bw_b": h(sd["lstm.bias_ih_l0_reverse"] + sd["lstm.bias_hh_l0_reverse"]),
        "out_w": h(sd["out.weight"]),
        "out_b": h(sd["out.bias"]),
        "crf_trans": h(sd["trans"]),
        "crf_start": h(sd["start"]),
        "crf_end": h(sd["end"]),
    }
    if net.chars is not None:
        arrays["char_vocab"] = np.frombuffer("".join(chars).encode("utf-32-le"), dtype=np.uint8)
        arrays["emb_char"] = h(sd["chars.emb.weight"])
        arrays["char_conv_w"] = h(sd["chars.conv.weight"])
        arrays["char_conv_b"] = h(sd["chars.conv.bias"])
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:  # np.savez_compressed, with a fixed timestamp would be nicer; size matters more
        np.savez_compressed(fh, **arrays)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--hidden", type=int, default=96)
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--synthetic", type=int, default=600)
    ap.add_argument("--char-filters", type=int, default=0, help="filters of the character CNN (0: none)")
    ap.add_argument("--notes-repeat", type=int, default=1,
                    help="times the hand-labelled note-style strings (source 'notes') appear in training")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--limit-minutes", type=float, default=40.0)
    ap.add_argument("--max-batches", type=int, default=0, help="stop each epoch after this many batches (a smoke test)")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)

    train: list[Example] = []
    dev: list[Example] = []
    for source, tr, dv in splits():
        train += tr
        dev += dv
        print(f"{source:20} train {len(tr):6} dev {len(dv):5}", flush=True)
    notes = [x for x in train if x.source == "notes"]
    train += notes * (args.notes_repeat - 1)
    syn = synthetic([x for x in train if x.source.startswith("anystyle")], args.synthetic)
    train += syn
    print(f"synthetic notes {len(syn)}", flush=True)

    counts = Counter(w for ex in train for w in features(ex.raw, ex.spans[:150]).words)
    vocab = [w for w, c in counts.most_common(40000) if c >= 2 and "\n" not in w]
    shape_counts = Counter(s for ex in train for s in features(ex.raw, ex.spans[:150]).shapes)
    shapes = [s for s, c in shape_counts.most_common() if c >= 3 and "\n" not in s]
    words = {w: i + 2 for i, w in enumerate(vocab)}
    shape_ix = {s: i + 2 for i, s in enumerate(shapes)}
    char_counts: Counter[str] = Counter()
    for w, n in counts.items():
        for c in w[:MAX_CHARS]:
            char_counts[c] += n
    char_list = [c for c, n in char_counts.most_common(400) if n >= 5]
    chars = {c: i + 2 for i, c in enumerate(char_list)}
    print(f"vocab {len(vocab)} shapes {len(shapes)} chars {len(char_list)}", flush=True)
    tr_items = encode(train, words, shape_ix, chars)
    dev_items = encode(dev, words, shape_ix, chars)

    net = Net(len(vocab) + 2, len(shapes) + 2, args.dim, args.hidden, len(char_list) + 2, args.char_filters)
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    t0 = time.time()
    order = sorted(range(len(tr_items)), key=lambda i: len(tr_items[i][0]))
    batches = [order[i : i + args.batch] for i in range(0, len(order), args.batch)]
    best = -1.0
    for epoch in range(args.epochs):
        rng.shuffle(batches)
        total = 0.0
        for k, b in enumerate(batches):
            w, s, p, x, fl, ch, tags, mask = batch([tr_items[i] for i in b], 0.05, rng)
            em = net.emissions(w, s, p, x, fl, ch, mask.sum(1))
            loss = net.nll(em, tags, mask)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            total += float(loss)
            if k % 200 == 0:
                print(f"epoch {epoch} batch {k}/{len(batches)} loss {total / (k + 1):.3f} "
                      f"{time.time() - t0:.0f}s", flush=True)
            if time.time() - t0 > args.limit_minutes * 60 or (args.max_batches and k + 1 >= args.max_batches):
                break
        for g in opt.param_groups:
            g["lr"] *= 0.7
        acc = evaluate(net, dev_items)
        print(f"epoch {epoch} loss {total / len(batches):.3f} dev token accuracy {acc:.4f} "
              f"{time.time() - t0:.0f}s", flush=True)
        if acc > best:
            best = acc
            export(net, vocab, shapes, char_list, args.out)
            print(f"exported {args.out}", flush=True)
        if time.time() - t0 > args.limit_minutes * 60:
            print("time limit reached", flush=True)
            break


if __name__ == "__main__":
    main()
