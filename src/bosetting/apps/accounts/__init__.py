"""Users, roles and their scope (IMDi national/regional, municipality, Husbanken, county governor, analyst)."""
