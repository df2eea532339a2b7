"""verifier — find, parse and verify every citation of a document."""

__version__ = "0.1.0"
