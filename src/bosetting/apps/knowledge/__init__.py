"""Good-practice library and comparable-municipality search."""
