"""Entry point: `streamlit run app.py`. Builds the navigation (ui.app.main); each page draws the shared
frame (banner, sidebar filters, present mode) through ui.layout.page_header."""
from ui.app import main

main()
