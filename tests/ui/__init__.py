"""Desktop tests: real widgets driven as a person would, found by accessible name."""
