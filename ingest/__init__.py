"""Excel submissions and the indicator catalog, checked cell by cell and kept in DuckDB."""
