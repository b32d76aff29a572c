"""Domain events other apps may react to without trainings importing them."""

from django.dispatch import Signal

# Sent inside the transaction that changed the status: sender=CourseRun, run=, old=, new=
run_status_changed = Signal()
