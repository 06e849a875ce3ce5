"""The front yard (窓口): counter queues, visits, life events and event logs (docs/frontyard.md)."""
