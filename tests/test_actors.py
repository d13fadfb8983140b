"""The actor gazetteer: aliases, sides, longest alias, look-alikes, config errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.analysis.actors import default_gazetteer, load_gazetteer
from core.config import ConfigError
from core.models import SIDES

REQUIRED = [
    "Vladimir Putin", "Dmitry Peskov", "Sergei Lavrov", "Maria Zakharova", "Dmitry Medvedev",
    "Yuri Ushakov", "Kirill Dmitriev", "Donald Trump", "Marco Rubio", "JD Vance",
    "Steve Witkoff", "Joe Biden", "Volodymyr Zelensky", "Kremlin", "White House",
    "State Department", "Pentagon", "Russian Foreign Ministry", "NATO", "UN Security Council",
]  # fmt: skip


def test_the_gazetteer_lists_at_least_25_actors_on_every_side() -> None:
    gazetteer = default_gazetteer()
    assert len(gazetteer.actors) >= 25
    assert set(REQUIRED) <= set(gazetteer.names)
    assert {actor.side for actor in gazetteer.actors} == set(SIDES)


@pytest.mark.parametrize(
    ("text", "actor", "side", "alias"),
    [
        (
            "Kremlin spokesperson Dmitry Peskov said no.",
            "Dmitry Peskov",
            "russia",
            "Kremlin spokesperson",
        ),
        ("The Russian President spoke.", "Vladimir Putin", "russia", "Russian President"),
        ("Secretary of State Rubio landed.", "Marco Rubio", "us", "Secretary of State Rubio"),
        ("Zelenskyy met Witkoff.", "Volodymyr Zelensky", "ukraine", "Zelenskyy"),
        ("Zelenskyy met Witkoff.", "Steve Witkoff", "us", "Witkoff"),
        ("The UN Security Council voted.", "UN Security Council", "other", "UN Security Council"),
        ("LAVROV and Zakharova spoke.", "Sergei Lavrov", "russia", "LAVROV"),
        ("The U.S. State Department objected.", "State Department", "us", "U.S. State Department"),
    ],
)
def test_actors_are_found_by_alias_with_their_side(
    text: str, actor: str, side: str, alias: str
) -> None:
    mentions = default_gazetteer().mentions(text)
    assert any(
        m.actor == actor and m.side == side and text[m.start : m.end] == alias for m in mentions
    ), mentions


def test_the_longest_alias_wins() -> None:
    mentions = default_gazetteer().mentions("Kremlin spokesman Peskov said so.")
    assert [m.actor for m in mentions] == ["Dmitry Peskov", "Dmitry Peskov"]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Latin America and the Washington Post.", []),
        ("Washington and Moscow disagree.", ["joint"]),
        ("America and Russia disagree.", ["us", "russia"]),
    ],
)
def test_side_markers_and_look_alikes(text: str, kinds: list[str]) -> None:
    assert [kind for kind, _, _ in default_gazetteer().scan(text)[1]] == kinds


BAD_MARKER = "\n".join(
    [
        'version = "1"',
        "[markers]",
        'us = ["ok"]',
        'russia = ["a*b"]',
        "[[actor]]",
        'name = "X"',
        'side = "us"',
        'aliases = ["X"]',
    ]
)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            'version = "1"\n\n[[actor]]\nname = "X"\nside = "mars"\naliases = ["X"]\n',
            ":3: actor 'X': side",
        ),
        ('version = "1"\n[[actor]]\nname = "X"\nside = "us"\n', ":2: actor 'X' has no aliases"),
        ('version = "1"\n[[actor]]\nname = "X"\nside = "us"\naliases = ["*"]\n', ":2: actor 'X'"),
        (
            BAD_MARKER,
            ":4: markers.russia",
        ),
        ('version = "1"\n[[actor]]\nname = "X"\nside = "us"\naliases = ["X"\n', ":"),
    ],
)
def test_a_malformed_gazetteer_names_file_and_line(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "actors.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)) as caught:
        load_gazetteer(path)
    assert str(caught.value).startswith(f"{path}:")
