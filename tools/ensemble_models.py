"""Join model files trained alike (``tools/train_parser.py`` with different seeds) into one ensemble file.

    .venv/bin/python tools/ensemble_models.py A.npz B.npz --out verifier/citations/data/model.npz

Each member's arrays go in under a prefix (``m0/``, ``m1/`` …); ``verifier.citations.labeller.load``
averages the members' label scores before decoding. The members must share their labels.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    arrays: dict[str, np.ndarray] = {}
    labels = None
    for i, path in enumerate(args.models):
        with np.load(path, allow_pickle=False) as z:
            member = {k: z[k] for k in z.files}
        if labels is not None and bytes(member["labels"]) != labels:
            raise SystemExit(f"{path}: its labels are not the first model's")
        labels = bytes(member["labels"])
        arrays.update({f"m{i}/{k}": v for k, v in member.items()})
    with open(args.out, "wb") as fh:
        np.savez_compressed(fh, **arrays)  # type: ignore[arg-type]
    print(f"{args.out}: {len(args.models)} members, {args.out.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
