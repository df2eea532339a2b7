"""Names: author and editor blocks split into people, institutions kept whole."""

from __future__ import annotations

import pytest

from verifier.citations.names import has_editor_marker, is_institution, leading_names, parse_names
from verifier.model import Person

P = Person


@pytest.mark.parametrize(
    ("text", "people"),
    [
        pytest.param("John Heathershaw and Edmund Herzig", [P("Heathershaw", "John"), P("Herzig", "Edmund")],
                     id="given-family-and"),
        pytest.param("Mohammad-Reza Djalili, Frédéric Grare, and Shirin Akiner, eds.",
                     [P("Djalili", "Mohammad-Reza"), P("Grare", "Frédéric"), P("Akiner", "Shirin")], id="editors-list"),
        pytest.param("K. Warikoo (ed.)", [P("Warikoo", "K.")], id="ed-in-brackets"),
        pytest.param("Smith, J., Paunesku, D., & Dweck, C.", [P("Smith", "J."), P("Paunesku", "D."), P("Dweck", "C.")],
                     id="apa"),
        pytest.param("Heidegger M.", [P("Heidegger", "M.")], id="family-initial"),
        pytest.param("Lakoff, George, and Mark Johnson", [P("Lakoff", "George"), P("Johnson", "Mark")],
                     id="chicago-first-inverted"),
        pytest.param("Pérez-Higueras JJ, Arias A, de la Macorra JC",
                     [P("Pérez-Higueras", "JJ"), P("Arias", "A"), P("de la Macorra", "JC")], id="vancouver"),
        pytest.param("Kamerlin, S. C. L.; Warshel, A.", [P("Kamerlin", "S. C. L."), P("Warshel", "A.")],
                     id="semicolons"),
        pytest.param("Heathershaw and Herzig", [P("Heathershaw"), P("Herzig")], id="family-only"),
        pytest.param("Ludwig van Beethoven", [P("van Beethoven", "Ludwig")], id="particle"),
        pytest.param("Di Michele, Andrea", [P("Di Michele", "Andrea")], id="capital-particle-inverted"),
        pytest.param("CASSARD Jean-Christophe", [P("CASSARD", "Jean-Christophe")], id="upper-family-first"),
        pytest.param("Mahavir Singh's (ed.)", [P("Singh", "Mahavir")], id="possessive-editor"),
        pytest.param("Smith et al.", [P("Smith")], id="et-al-dropped"),
        pytest.param("Human Rights Watch", [P(literal="Human Rights Watch")], id="institution"),
        pytest.param("Ministry of Foreign Affairs of the Russian Federation",
                     [P(literal="Ministry of Foreign Affairs of the Russian Federation")], id="ministry"),
        pytest.param("Ortega y Gasset, José", [P("Ortega y Gasset", "José")], id="spanish-compound-surname"),
        pytest.param("Ruiz y Soto, M.; Paz y Vela, L.", [P("Ruiz y Soto", "M."), P("Paz y Vela", "L.")],
                     id="compound-surnames-with-semicolons"),
        pytest.param("MORA Y LUNA, J. y J. Sala", [P("MORA Y LUNA", "J."), P("Sala", "J.")],
                     id="compound-surname-then-y-and-a-name"),
        pytest.param("García, Ana y Pedro López", [P("García", "Ana"), P("López", "Pedro")],
                     id="y-between-two-full-names"),
        pytest.param("Pérez y Gómez", [P("Pérez"), P("Gómez")], id="y-between-two-family-names"),
        pytest.param("", [], id="empty"),
    ],
)
def test_parse_names(text: str, people: list[Person]) -> None:
    assert list(parse_names(text)) == people


@pytest.mark.parametrize(
    ("text", "editors"),
    [
        pytest.param("Mohammad-Reza Djalili, Frédéric Grare, and Shirin Akiner, eds.", True, id="eds"),
        pytest.param("K. Warikoo (ed.)", True, id="ed-brackets"),
        pytest.param("ed. by John Smith", True, id="ed-by"),
        pytest.param("Bickman, L., & Ellis, H. (Eds.)", True, id="Eds"),
        # every editor word of the shared role lexicon (data/roles.txt) marks editors in brackets
        pytest.param("Nabila Oulebsir et Mercedes Volait (dirs.)", True, id="dirs"),
        pytest.param("G. Fabre (éd.)", True, id="éd"),
        pytest.param("Maria Souza (org.)", True, id="org"),
        pytest.param("Paolo Rossi (cur.)", True, id="cur"),
        pytest.param("John Heathershaw and Edmund Herzig", False, id="authors"),
    ],
)
def test_editor_marker(text: str, editors: bool) -> None:
    assert has_editor_marker(text) is editors


@pytest.mark.parametrize(
    ("text", "names"),
    [
        pytest.param("Feferman, S., Transfinite Recursive Progressions", "Feferman, S.", id="apa-then-title"),
        pytest.param("H. Fischer, Centre Pompidou, Deutsche Bauzeitung", "H. Fischer", id="shape-kept"),
        pytest.param("Card, S. K., Robertson, G. G., Mackinlay, J. D., The Information Visualizer",
                     "Card, S. K., Robertson, G. G., Mackinlay, J. D.", id="three-inverted"),
        pytest.param("A. D. Bogaturov, Sistemnaia istoriia", "A. D. Bogaturov", id="initials-first"),
        pytest.param("John Smith, Jane Doe, The Title", "John Smith", id="full-names-need-and"),
        pytest.param("Ancona, D., and Zucca, E. An algebraic approach", "Ancona, D., and Zucca, E.",
                     id="initials-run-into-title"),
        pytest.param("Gertz M., Lipeck U. W. Deriving Integrity", "Gertz M., Lipeck U. W.", id="vancouver-into-title"),
        pytest.param("Stein, Stanley J. Vassouras, a Brazilian Coffee County", "Stein, Stanley J.",
                     id="given-initial-into-title"),
        pytest.param("However, this is not a name", "", id="prose"),
        pytest.param("Izvestia, 31 July, 1992", "Izvestia", id="single-word-is-the-caller's-call"),
    ],
)
def test_leading_names(text: str, names: str) -> None:
    end, _ = leading_names(text)
    assert text[:end] == names


def test_leading_names_reports_editors() -> None:
    text = "Mohammad-Reza Djalili, Frédéric Grare, and Shirin Akiner, eds., Tajikistan: The Trials"
    end, editors = leading_names(text)
    assert editors and text[:end].endswith("eds.")


@pytest.mark.parametrize(
    "name",
    ["Stadtarchiv Neuburg", "Statistisches Landesamt", "Istituto regionale di statistica", "Conseil d’État",
     "Ministério da Educação", "Archivo General de la Nación", "Human Rights Watch", "OSCE", "Library of Congress"],
)
def test_organisations_in_six_languages_are_one_literal_name(name: str) -> None:
    assert is_institution(name)
    assert parse_names(name) == (Person(literal=name),)


@pytest.mark.parametrize("name", ["Felipa Grúa", "Hans Schamt", "Anna Bankowska"])
def test_people_are_not_organisations(name: str) -> None:
    assert not is_institution(name)


@pytest.mark.parametrize(
    ("text", "family", "given"),
    [("SILVA, João da", "da SILVA", "João"), ("Beethoven, Ludwig van", "van Beethoven", "Ludwig"),
     ("OLIVEIRA, Ana de", "de OLIVEIRA", "Ana")],
)
def test_a_particle_after_the_given_names_belongs_to_the_family(text: str, family: str, given: str) -> None:
    assert parse_names(text) == (Person(family=family, given=given),)
