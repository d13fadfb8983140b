"""Getting articles in: feed list, fetch, parse, clean, the worker step, the poller."""
