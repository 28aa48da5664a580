"""Checkpoint files and keys (the bottom floor: imports neither visft_mm.models nor visft_mm.engine)."""
