"""Pure computation: matching, simulation and dated rules. No Django, no Rich, no database."""
