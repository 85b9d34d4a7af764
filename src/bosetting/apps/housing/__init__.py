"""Housing units, leases, availability, turnover and housing career."""
