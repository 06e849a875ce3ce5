"""After the workshop: charter, action plan, follow-up and progress (docs/after-workshop.md)."""
