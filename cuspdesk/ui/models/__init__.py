"""Qt item models over plain rows that the services return (sorting and filtering stay in SQL)."""
