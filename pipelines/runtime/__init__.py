"""What keeps a run safe to stop and restart: the home's writer lock, dead-run recovery, signals."""
