"""GcTuner: thresholds, freeze, periodic collection, and the collector given back on close."""

from __future__ import annotations

import asyncio
import gc

from gateway.process import GcSettings, GcTuner


async def test_start_sets_thresholds_freezes_and_close_restores_them() -> None:
    before = gc.get_threshold()
    tuner = GcTuner(GcSettings(thresholds=(12_345, 17, 42), collect_interval_seconds=0))
    tuner.start()
    try:
        assert tuner.applied
        assert gc.get_threshold() == (12_345, 17, 42)
        assert gc.get_freeze_count() > 0
    finally:
        await tuner.aclose()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    assert not tuner.applied


async def test_disabled_changes_nothing() -> None:
    before = gc.get_threshold()
    tuner = GcTuner(GcSettings(enabled=False, thresholds=(1, 1, 1)))
    tuner.start()
    assert not tuner.applied
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    await tuner.aclose()


async def test_without_freeze_nothing_is_frozen_and_refreeze_is_a_no_op() -> None:
    tuner = GcTuner(GcSettings(freeze=False, collect_interval_seconds=0))
    tuner.start()
    try:
        tuner.refreeze()
        assert gc.get_freeze_count() == 0
    finally:
        await tuner.aclose()


class _Cycle:
    def __init__(self) -> None:
        self.me = self


async def test_the_periodic_collection_reclaims_cycles_under_large_thresholds() -> None:
    tuner = GcTuner(GcSettings(thresholds=(10_000_000, 1000, 1000), collect_interval_seconds=0.01))
    tuner.start()
    try:
        for _ in range(50):
            _Cycle()  # unreachable at once, but only the cyclic collector can free it
        for _ in range(1000):  # until the periodic collection has run (not a timing assertion)
            if tuner.collected >= 50:
                break
            await asyncio.sleep(0.01)
        assert tuner.collections >= 1
        assert tuner.collected >= 50
    finally:
        await tuner.aclose()


async def test_refreeze_freezes_objects_made_after_the_first_freeze() -> None:
    tuner = GcTuner(GcSettings(collect_interval_seconds=0))
    tuner.start()
    try:
        first = gc.get_freeze_count()
        kept = [[index] for index in range(5000)]  # the "new supergraph"
        tuner.refreeze()
        assert gc.get_freeze_count() >= first + len(kept)
    finally:
        await tuner.aclose()
