"""The parts of the Team & unit screen: unit details, team, executive partner, lists, aims."""
