"""Forms of the trainings app: runs and sessions (runs.py), master data (masterdata.py)."""
