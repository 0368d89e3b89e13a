"""Pure computations over the warehouse: a DuckDB connection and filters in, DataFrames out."""
