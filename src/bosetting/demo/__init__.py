"""The synthetic demo world: Norway at the end of 2014 from real figures plus synthetic people.

Always labelled synthetic wherever it shows (every page carries a banner while it is loaded)."""
