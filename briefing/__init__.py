"""A weekly meeting's briefing (简报) as files: Word, Excel and one offline web page."""
