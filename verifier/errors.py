"""The exception tree. Exceptions are for bugs, usage and configuration errors;
problems in the *input* (an unreadable file, an unparseable note) are data:
readers return ``Diagnostic`` values and rules turn them into findings.

::

    VerifierError
    ├── UsageError          bad command-line arguments or API arguments (exit 2)
    ├── ConfigError         bad [tool.verifier] / verifier.toml: unknown key, wrong type (exit 2)
    └── InputError          a file that could not be read at all (reported as P002)
"""

from __future__ import annotations


class VerifierError(Exception):
    """Base of every error verifier raises on purpose."""


class UsageError(VerifierError):
    """The caller asked for something that cannot be done (exit status 2)."""


class ConfigError(VerifierError):
    """The configuration file is wrong; the message names the file and the key."""


class InputError(VerifierError):
    """An input file could not be read or decoded at all."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
