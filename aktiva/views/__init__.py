"""Views of the project package: generated documents and the audit trail."""
