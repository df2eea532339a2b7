"""The rule registry: every rule declared where it lives, with ``@rule(code, name, severity)``.

A rule is a function from a ``RuleContext`` to findings of its one code; its
docstring is its documentation: the first paragraph says when it fires (shown by
``verifier rules``), the rest follows ruff's layout, *What it does / Why it
matters / Example / Fix* (shown by ``verifier rules CODE`` and in docs/rules.md).
Codes are part of the contract (SPEC.md) and are never renumbered or reused.

``RULES`` is filled as the rule modules are imported (``verifier.rules`` imports
them all) and is kept in the contract's family order: M, D, I, F, L, A, V, Q, P, S.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from verifier.model import Finding, Severity

if TYPE_CHECKING:
    from verifier.rules.common import RuleContext

Check = Callable[["RuleContext"], Iterable[Finding]]

FAMILY_ORDER = "MDIFLAVQPS"
"""The order families are listed in (``verifier rules``, SARIF, JUnit, docs/rules.md)."""


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    """One line: when the rule fires (shown by ``verifier rules``)."""
    doc: str = ""
    """The long form (shown by ``verifier rules CODE``)."""
    offline: bool = True
    """False for rules that need the network (L, A, V families)."""
    check: Check | None = None
    """The function that finds it (``None`` for a rule the pipeline reports itself, such as P002)."""
    per_document: bool = False
    """True for a rule whose findings about a document depend on that document and its own citations alone
    (not on sources joined across documents, links or registries): the map step runs it where the document
    was read (``rules.document_rules``)."""


RULES: dict[str, Rule] = {}


def _order(code: str) -> tuple[int, str]:
    family = FAMILY_ORDER.find(code[:1])
    return (family if family >= 0 else len(FAMILY_ORDER), code)


def _unwrap(text: str) -> str:
    """A docstring's prose with its source line breaks taken out (headings and code blocks kept as written)."""
    out: list[str] = []
    fenced = False
    for line in text.split("\n"):
        starts_fence = line.startswith("```")
        joins = out and out[-1] and line and not fenced and not starts_fence and not line.startswith(("#", "- ")) \
            and not out[-1].startswith(("#", "```"))
        if joins:
            out[-1] += " " + line
        else:
            out.append(line)
        fenced ^= starts_fence
    return "\n".join(out)


def rule(code: str, name: str, severity: Severity, *, offline: bool = True,
         by_pipeline: bool = False, per_document: bool = False) -> Callable[[Any], Any]:
    """Register the decorated function as rule ``code``; its docstring is the rule's documentation.

    ``by_pipeline``: the pipeline reports the rule itself (P002, an unreadable input never reaches the
    rules), so the function only carries the documentation and is never run. ``per_document``: see ``Rule``.
    """

    def register(fn: Any) -> Any:
        text = inspect.cleandoc(fn.__doc__ or "")
        summary, _, doc = text.partition("\n\n")
        if not summary or code in RULES and RULES[code].check is not fn:
            raise RuntimeError(f"rule {code}: needs a docstring and a code of its own")
        RULES[code] = Rule(code, name, severity, " ".join(summary.split()), _unwrap(doc.strip()), offline,
                           None if by_pipeline else fn, per_document)
        ordered = sorted(RULES.items(), key=lambda item: _order(item[0]))
        RULES.clear()
        RULES.update(ordered)
        return fn

    return register


def family(module: str) -> Check:
    """A function running every rule declared in ``module``: one family's findings, as its tests ask for them."""

    def check(ctx: RuleContext) -> list[Finding]:
        return [f for r in RULES.values() if r.check is not None and r.check.__module__ == module for f in r.check(ctx)]

    return check


def markdown() -> str:
    """docs/rules.md: every rule with its code, name, severity and documentation (a test keeps the file equal)."""
    lines = [
        "# Rules",
        "",
        "<!-- Generated from the rule registry by `verifier rules --markdown`; do not edit by hand. -->",
        "",
        "Select rules with `--select`/`--ignore` (codes or prefixes: `--select M,I001`), suppress one finding "
        "with an inline `verifier: ignore[CODE]` comment (see [configuration](configuration.md)).",
        "",
        "| code | name | severity | fires when |",
        "|---|---|---|---|",
    ]
    lines += [f"| [{r.code}](#{r.code.lower()}-{r.name}) | {r.name} | {r.severity.value} | {r.summary} |"
              for r in RULES.values()]
    for r in RULES.values():
        lines += ["", f"## {r.code} {r.name}", "", f"Default severity: **{r.severity.value}**."
                  + ("" if r.offline else " Needs the network: not run with `--offline`."), "", r.summary]
        if r.doc:
            lines += ["", re.sub(r"^## ", "### ", r.doc, flags=re.MULTILINE)]
    return "\n".join(lines) + "\n"
