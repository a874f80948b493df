"""The gateway process: garbage-collector tuning, several worker processes on one port, and the
graceful shutdown."""

from gateway.process.gc_tuning import GcTuner
from gateway.process.settings import GcSettings, RuntimeSettings, ShutdownSettings

__all__ = ["GcSettings", "GcTuner", "RuntimeSettings", "ShutdownSettings"]
