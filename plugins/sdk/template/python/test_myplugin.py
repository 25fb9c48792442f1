"""Tests of myplugin: each runs the plugin on a text through nlpd-plugin-test, which loads
it as the server does and checks the plugin contract. ``nlpd_plugin`` is a fixture of the
nlpd package; the binary is ``$NLPD_PLUGIN_TEST`` or ``nlpd-plugin-test`` on ``$PATH``."""

from __future__ import annotations

from collections.abc import Callable

from nlpd.testing import PluginUnderTest

PLUGIN = "myplugin_plugin.py"
NlpdPlugin = Callable[..., PluginUnderTest]


def test_finds_words_in_capitals(nlpd_plugin: NlpdPlugin) -> None:
    result = nlpd_plugin(PLUGIN).run("Die EU und die NATO tagen.", language="de")
    assert [match.text for match in result.matches] == ["EU", "NATO"]


def test_finds_umlauts_and_counts_characters_and_bytes(nlpd_plugin: NlpdPlugin) -> None:
    result = nlpd_plugin(PLUGIN).run("Über die ÖVP.", language="de")
    assert [(m.text, m.span.char_start, m.span.byte_start) for m in result.matches] == [
        ("ÖVP", 9, 10)  # "Ü" is 2 bytes
    ]


def test_ignores_single_letters_and_mixed_case(nlpd_plugin: NlpdPlugin) -> None:
    result = nlpd_plugin(PLUGIN).run("A Nato summit in Berlin.", language="en")
    assert list(result.matches) == []
