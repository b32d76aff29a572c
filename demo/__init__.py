"""Demo data: two jobcenters with users, trainers, rooms, runs, participants and feedback.

`python manage.py load_demo` loads it (./scripts/demo does). This package sits above the
apps (it uses all of them); no app imports it.
"""
