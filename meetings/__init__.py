"""Weekly coordination meetings as records: starting one freezes its figures; action items (督办事项)
are promises made in a meeting, carried into every later meeting until they are closed."""
