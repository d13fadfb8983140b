"""Reading articles: language, sentences, tone, themes, actors, relevance (pure)."""
