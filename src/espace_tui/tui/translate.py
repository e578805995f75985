"""Key descriptions in the current language.

Textual reads `BINDINGS` once, when a class is defined; the descriptions there are English
source strings marked with `N_`. `translate_bindings` gives a node a copy of its bindings with
each description passed through `_`, and is called again after a language switch. The English
originals (including bindings Textual adds itself, such as the palette's ctrl+p) are kept on
the node, so every switch starts from them.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import BindingsMap
from textual.dom import DOMNode

from espace_tui.core.i18n import _

_SOURCE = "_espace_english_bindings"


def translate_bindings(node: DOMNode) -> None:
    """Replace the node's bindings by a copy of its English ones, descriptions translated."""
    source: BindingsMap | None = getattr(node, _SOURCE, None)
    if source is None:
        source = node._bindings
        setattr(node, _SOURCE, source)
    translated = BindingsMap()
    for key, bindings in source.key_to_bindings.items():
        translated.key_to_bindings[key] = [
            replace(b, description=_(b.description)) if b.description else b for b in bindings
        ]
    node._bindings = translated
