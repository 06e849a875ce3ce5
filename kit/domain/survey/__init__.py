"""The all-staff survey and the groups drawn from it (docs/survey.md)."""
