"""The gateway process: garbage-collector tuning and several worker processes on one port."""

from gateway.process.gc_tuning import GcTuner
from gateway.process.settings import GcSettings, RuntimeSettings

__all__ = ["GcSettings", "GcTuner", "RuntimeSettings"]
