"""Write references/sample.docx: a short Word essay with footnotes, an endnote,
hyperlinks and a bibliography, and the defects listed in references/README.md.

The package holds the parts Word itself writes for such a document (content
types, relationships, styles, settings, footnotes, endnotes), so Word and
LibreOffice open it; the zip is written with fixed timestamps, so running this
again gives the same bytes.

    python references/make_docx.py
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

OUT = Path(__file__).resolve().parent / "sample.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
NS = f'xmlns:w="{W}" xmlns:r="{R}"'
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
STAMP = (2026, 1, 1, 0, 0, 0)

BODY_LINKS = {"rId10": "https://lights.example.org/keepers/log-1874"}
NOTE_LINKS = {"rId1": "https://archive.example.org/baltic/report-1998"}


def t(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def fn(note_id: int) -> str:
    return f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{note_id}"/></w:r>'


def en(note_id: int) -> str:
    return f'<w:r><w:rPr><w:rStyle w:val="EndnoteReference"/></w:rPr><w:endnoteReference w:id="{note_id}"/></w:r>'


def link(rid: str, text: str) -> str:
    run = f'<w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr><w:t>{escape(text)}</w:t></w:r>'
    return f'<w:hyperlink r:id="{rid}">{run}</w:hyperlink>'


def p(*runs: str, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


# Paragraph numbers (as verifier counts them: paragraphs with text or a note reference) in the comments.
BODY = [
    p(t("Pilots and Keepers of the Åland Sea"), style="Title"),  # 1
    p(t("Kristina Holm")),  # 2
    p(),  # an empty spacing paragraph: not counted
    p(t("Pilotage in the Åland Sea was a family trade, handed from father to son for two centuries."), fn(1),
      t(" The pilots' guild of Mariehamn recorded its members in a register that survives in part."), fn(2)),  # 3
    p(t("The guild's rules were strict, and the pilotage authority enforced them."), fn(3),
      t(" What a station's day looked like can be read in "), link("rId10", "the log of the keeper at Bogskär"),
      t(", which the society has put online.")),  # 4
    p(t("Sundberg later revised his figures for the guild's membership."), fn(4),
      t(" The last pilot of the old guild retired in 1962."), fn(9)),  # 5
    p(t("Every pilot learned the channels from the same handbook, first printed in 1874."), fn(5),
      t(" Its spelling of the place names was followed for a century."), en(1)),  # 6
    p(t("Bibliography"), style="Heading1"),  # 7
    p(t("Lund, Anders. Handbook for Pilots. Stockholm: Norstedt, 1874.")),  # 8
    p(t("Sundberg, Erik. “The Pilots' Guild of Mariehamn.” Scandinavian Journal of Maritime History 21, "
        "no. 2 (1998): 101–24.")),  # 9
    p(t("Lund, Anders. Handbook for Pilots. Stockholm: Norstedt, 1874.")),  # 10
]

FOOTNOTES = {
    1: t("Erik Sundberg, “The Pilots' Guild of Mariehamn,” Scandinavian Journal of Maritime History 21, no. 2 "
         "(1998): 101–24."),
    2: t("Åland Maritime Archive, Pilots' Register 1850–1900 (Mariehamn, 2015), doi:10.77/aland.1850."),
    3: t("Baltic Pilotage Authority, ") + link("rId1", "Report on the Åland Pilot Stations")
    + t(" (Helsinki, 1998), 7."),
    4: t("Erik Sundberg, “The Pilots' Guild of Mariehamn,” Scandinavian Journal of Maritime History 21, no. 2 "
         "(1999): 110."),
    5: t("Anders Lund, Handbook for Pilots (Stockholm: Norstedt, 1874; repr. 2003), 3, ISBN 978-91-1-300000-1."),
    7: t("Maria Lindqvist, Keepers and Pilots (Turku: Åbo Press, 2010), 33."),
}
ENDNOTES = {1: t("Lund, Handbook for Pilots, 12.")}


def notes_part(kind: str, notes: dict[int, str]) -> str:
    ref = "FootnoteReference" if kind == "footnote" else "EndnoteReference"
    text = "FootnoteText" if kind == "footnote" else "EndnoteText"
    parts = [
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>',
        f'<w:{kind} w:type="continuationSeparator" w:id="0">'
        f"<w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>",
    ]
    for nid, runs in notes.items():
        parts.append(
            f'<w:{kind} w:id="{nid}"><w:p><w:pPr><w:pStyle w:val="{text}"/></w:pPr>'
            f'<w:r><w:rPr><w:rStyle w:val="{ref}"/></w:rPr><w:{kind}Ref/></w:r>{t(" ")}{runs}</w:p></w:{kind}>'
        )
    return f"{HEAD}<w:{kind}s {NS}>{''.join(parts)}</w:{kind}s>"


def rels(items: list[tuple[str, str, str, bool]]) -> str:
    body = "".join(
        f'<Relationship Id="{rid}" Type="{R}/{kind}" Target="{escape(target)}"'
        + (' TargetMode="External"' if external else "") + "/>"
        for rid, kind, target, external in items
    )
    return f'{HEAD}<Relationships xmlns="{PKG}">{body}</Relationships>'


def styles() -> str:
    def style(sid: str, name: str, extra: str = "", kind: str = "paragraph") -> str:
        return f'<w:style w:type="{kind}" w:styleId="{sid}"><w:name w:val="{name}"/>{extra}</w:style>'

    superscript = '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
    return (
        f"{HEAD}<w:styles {NS}>"
        + style("Normal", "Normal")
        + style("Title", "Title", '<w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr>'
                '<w:rPr><w:sz w:val="48"/></w:rPr>')
        + style("Heading1", "heading 1", '<w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr>'
                '<w:rPr><w:b/><w:sz w:val="32"/></w:rPr>')
        + style("FootnoteText", "footnote text", '<w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="20"/></w:rPr>')
        + style("EndnoteText", "endnote text", '<w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="20"/></w:rPr>')
        + style("FootnoteReference", "footnote reference", superscript, "character")
        + style("EndnoteReference", "endnote reference", superscript, "character")
        + style("Hyperlink", "Hyperlink", '<w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr>', "character")
        + "</w:styles>"
    )


def build() -> dict[str, str]:
    doc_rels = [
        ("rId1", "styles", "styles.xml", False),
        ("rId2", "settings", "settings.xml", False),
        ("rId3", "footnotes", "footnotes.xml", False),
        ("rId4", "endnotes", "endnotes.xml", False),
    ] + [(rid, "hyperlink", url, True) for rid, url in BODY_LINKS.items()]
    content_types = (
        f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(
            f'<Override PartName="/word/{name}.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            f'wordprocessingml.{kind}+xml"/>'
            for name, kind in (("document", "document.main"), ("styles", "styles"), ("settings", "settings"),
                               ("footnotes", "footnotes"), ("endnotes", "endnotes"))
        )
        + "</Types>"
    )
    settings = (
        f"{HEAD}<w:settings {NS}>"
        '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
        '<w:endnotePr><w:endnote w:id="-1"/><w:endnote w:id="0"/></w:endnotePr></w:settings>'
    )
    sect = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" ' \
           'w:left="1440" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>'
    return {
        "[Content_Types].xml": content_types,
        "_rels/.rels": rels([("rId1", "officeDocument", "word/document.xml", False)]),
        "word/document.xml": f"{HEAD}<w:document {NS}><w:body>{''.join(BODY)}{sect}</w:body></w:document>",
        "word/_rels/document.xml.rels": rels(doc_rels),
        "word/styles.xml": styles(),
        "word/settings.xml": settings,
        "word/footnotes.xml": notes_part("footnote", FOOTNOTES),
        "word/_rels/footnotes.xml.rels": rels([(rid, "hyperlink", url, True) for rid, url in NOTE_LINKS.items()]),
        "word/endnotes.xml": notes_part("endnote", ENDNOTES),
    }


def main() -> None:
    with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in build().items():
            info = zipfile.ZipInfo(name, STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
