"""Samling's built-in exercise kinds, registered as an add-on would register its own."""

from __future__ import annotations

from exercises.choice import Choice
from exercises.evaluation import EvaluationKind
from exercises.group_work import GroupWork
from exercises.open_text import OpenText
from exercises.points import Points
from exercises.poster import Poster
from exercises.qa import QA
from exercises.reflection import Reflection
from exercises.scale import Scale
from exercises.word_cloud import WordCloudKind
from workshop.kinds import KindRegistry


def register(registry: KindRegistry) -> None:
    """Add the built-in kinds to a registry."""
    registry.add(OpenText())
    registry.add(WordCloudKind())
    registry.add(Choice())
    registry.add(Scale())
    registry.add(Points())
    registry.add(QA())
    registry.add(GroupWork())
    registry.add(Poster())
    registry.add(Reflection())
    registry.add(EvaluationKind())
