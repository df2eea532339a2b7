"""The S family: inline suppressions (``verifier: ignore[…]``, see ``verifier.suppression``)."""

from __future__ import annotations

from collections.abc import Iterator

from verifier.model import Finding, Severity
from verifier.rules.catalog import family, rule
from verifier.rules.common import RuleContext


@rule("S001", "unused-suppression", Severity.WARNING, by_pipeline=True)
def unused_suppression(ctx: RuleContext) -> Iterator[Finding]:
    """an inline `verifier: ignore[...]` comment that suppresses nothing (only with --report-unused-suppressions)

    ## What it does
    Reports `verifier: ignore[CODES]` and `verifier: ignore-file[CODES]` comments that no finding of their
    codes meets, on the lines they cover (or in the whole file). It runs only with
    `--report-unused-suppressions` (`report-unused-suppressions = true`), as ruff's RUF100 does.

    ## Why it matters
    A suppression outlives the problem it silenced: once the note is fixed, the comment would hide the next,
    different problem on that line.

    ## Example
    ```text
    <!-- verifier: ignore[M001] -->     (the marker below now has its note)
    ```

    ## Fix
    Remove the comment, or correct its codes.
    """
    return iter(())  # the pipeline reports it when it applies the suppressions to the findings


check = family(__name__)
"""Every finding of this family's rules."""
