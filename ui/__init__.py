"""Shared pieces of the Streamlit interface: strings, the cached connection, formatting."""
