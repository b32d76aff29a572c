"""Views of the trainings app, by area."""
