"""Money: the impact arithmetic, funding as budgets book it, options, uncertainty and system selection (docs/formulas.md)."""
