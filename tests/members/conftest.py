"""Fixtures for the members tests (role fixtures and factories are in tests/)."""

import pytest

from ..factories import ZoneFactory


@pytest.fixture
def zones(committee):
    return [ZoneFactory(committee=committee, name=name) for name in ("Zone 1", "Zone 3")]
