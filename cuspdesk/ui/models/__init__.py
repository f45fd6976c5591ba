"""Qt item models: thin views over the plain rows the services return."""
