"""Small widgets shared by the forms: optional dates, pick lists, ratings, field errors."""
