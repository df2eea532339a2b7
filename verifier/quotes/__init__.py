"""Quotations and their sources: is the quoted passage really in the page the note cites?

    pairs     direct quotations in the body paired with the URLs their notes cite (pure)
    extract   the main text and the titles of a fetched page (pure; bs4 with lxml)
    match     tolerant, explainable matching of a quotation against a source text (pure; rapidfuzz)
    judge     the verdict per quotation from the texts the network stage fetched (pure)

The network stage (``verifier.net.texts``) fetches the texts; the rules Q001/Q002
(``verifier.rules.quotations``) turn the verdicts into findings.
"""
